// Sends the deep-linking response back to the platform at once; the button stays for browsers without scripts.
'use strict';
(function () {
  var form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();
})();
