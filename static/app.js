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

  // A button marked data-print prints the page (the A4 forms); print.css leaves
  // the button, the navigation and the page's own heading off the paper.
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest('[data-print]')) {
      event.preventDefault();
      window.print();
    }
  });

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

  // A live sum while a form is typed in: an element with data-sum-of="<names
  // of inputs, space-separated>" shows their total against data-sum-expected
  // (a number) or the value of the input named in data-sum-expected-field,
  // written with data-sum-text ("#S" the total, "#E" the expected). The
  // server checks the same sums when the form is sent.
  function number(input) {
    var text = input ? input.value.trim() : '';
    return text === '' ? NaN : Number(text);
  }
  function checkSums(form) {
    Array.prototype.forEach.call(form.querySelectorAll('[data-sum-of]'), function (out) {
      var total = 0;
      var known = true;
      out.dataset.sumOf.split(' ').forEach(function (name) {
        var value = number(form.elements.namedItem(name));
        if (isNaN(value)) {
          known = false;
        } else {
          total += value;
        }
      });
      var expected = out.dataset.sumExpectedField
        ? number(form.elements.namedItem(out.dataset.sumExpectedField))
        : Number(out.dataset.sumExpected);
      if (!known || isNaN(expected)) {
        out.textContent = '';
        out.classList.remove('sum-off');
        return;
      }
      // Six places are more than any weight or point carries; they hide the float error.
      var shown = Math.round(total * 1e6) / 1e6;
      out.textContent = out.dataset.sumText.replace('#S', String(shown)).replace('#E', String(expected));
      out.classList.toggle('sum-off', Math.abs(total - expected) > 1e-6);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('form'), function (form) {
    if (form.querySelector('[data-sum-of]')) {
      checkSums(form);
      form.addEventListener('input', function () { checkSums(form); });
    }
  });
})();
