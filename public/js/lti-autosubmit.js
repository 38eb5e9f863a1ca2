// Submits the deep linking response form at once; its button stays for browsers without scripts.
'use strict';
(function () {
  var form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();
})();
