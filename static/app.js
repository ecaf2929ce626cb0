// cppcc-perf front-end glue. No framework; loaded with `defer` right after
// htmx, so it runs before DOMContentLoaded (when htmx initialises itself).
// The Content-Security-Policy forbids inline scripts and styles, so every
// behaviour lives here.
(function () {
  'use strict';

  // htmx 2 injects an inline <style> for its request indicators on
  // DOMContentLoaded unless told not to; `style-src 'self'` would block it.
  // The equivalent rules are in app.css. `eval` is forbidden by the CSP
  // too, so let htmx refuse it cleanly instead of tripping the CSP.
  if (window.htmx && window.htmx.config) {
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  // (a) Every htmx request carries the session's CSRF token.
  document.addEventListener('htmx:configRequest', function (event) {
    var token = csrfToken();
    if (token && event.detail && event.detail.headers) {
      event.detail.headers['X-CSRF-Token'] = token;
    }
  });

  // (b) Forms marked data-confirm="question" ask before they are sent. The
  // listener runs in the capture phase so that a refusal also stops htmx's
  // own submit handler on the form. A submit button may carry its own
  // data-confirm, which takes precedence.
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
