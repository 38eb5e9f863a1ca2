// A countdown for timed challenges. The server decides (it recorded when the question was shown);
// this only shows the time left and announces the last seconds to screen readers.
(function () {
  'use strict';
  var box = document.getElementById('timer');
  if (!box) return;
  var deadline = Number(box.getAttribute('data-deadline'));
  var skew = Number(box.getAttribute('data-now')) - Date.now();
  var count = document.getElementById('timer-count');
  var alert = document.getElementById('timer-alert');
  var remainingLabel = box.getAttribute('data-label-remaining') || '{s}';
  var expiredLabel = box.getAttribute('data-label-expired') || '';
  var announced = {};
  function tick() {
    var left = Math.max(0, Math.ceil((deadline - (Date.now() + skew)) / 1000));
    count.textContent = left > 0 ? remainingLabel.replace('{s}', String(left)) : expiredLabel;
    var marks = [60, 30, 10];
    for (var i = 0; i < marks.length; i++) {
      if (left === marks[i] && !announced[left]) {
        announced[left] = true;
        alert.textContent = remainingLabel.replace('{s}', String(left));
      }
    }
    if (left === 0) {
      if (!announced[0]) {
        announced[0] = true;
        alert.textContent = expiredLabel;
      }
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
