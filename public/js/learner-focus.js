// After each page load (an answer stored, a page turned), move the keyboard and screen-reader focus to
// what changed: the element marked data-focus (the feedback, an error, or the page heading).
(function () {
  'use strict';
  var target = document.querySelector('[data-focus]');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
  // Prevent a double submission while the first request is on its way (the server ignores it anyway).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.getAttribute('data-sent') === '1') {
      event.preventDefault();
      return;
    }
    form.setAttribute('data-sent', '1');
  });
})();
