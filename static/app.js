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
})();
