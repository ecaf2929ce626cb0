// cppcc-perf front-end glue. No framework; loaded with `defer`.
// The Content-Security-Policy forbids inline scripts and styles, so every
// behaviour lives here.
(function () {
  'use strict';

  // Forms marked data-confirm="question" ask before they are sent. The
  // listener runs in the capture phase, ahead of any other submit handler.
  // A submit button may carry its own data-confirm, which takes precedence.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var submitter = event.submitter;
    var question = (submitter && submitter.dataset && submitter.dataset.confirm) || form.dataset.confirm;
    if (!question) {
      return;
    }
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // A select marked data-follows="<id of another select>" offers only the
  // options whose data-department is the value chosen there (every option
  // while nothing is chosen); options marked data-kept stay offered. The
  // server renders the same choice and accepts nothing else.
  function follow(select, leader) {
    var chosen = leader.value;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) {
        return;
      }
      var offered = !chosen || option.dataset.department === chosen || option.hasAttribute('data-kept');
      option.hidden = !offered;
      option.disabled = !offered;
      if (!offered && option.selected) {
        select.value = '';
      }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('select[data-follows]'), function (select) {
    var leader = document.getElementById(select.dataset.follows);
    if (leader) {
      leader.addEventListener('change', function () { follow(select, leader); });
    }
  });
})();
