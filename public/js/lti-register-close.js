// Dynamic Registration ends by telling the platform to close its registration frame.
'use strict';
(function () {
  function close() {
    var target = window.opener || window.parent;
    if (target && target !== window) target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
  }
  var button = document.getElementById('lti-register-close');
  if (button) button.addEventListener('click', close);
})();
