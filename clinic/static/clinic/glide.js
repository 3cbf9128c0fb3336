/* Glide: small enhancements over pages that work without JavaScript. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function debounce(fn, wait) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A select that submits its form when changed (the clinic switcher).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // Ask before an action that cannot be undone.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
    document.querySelectorAll("button[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
      });
    });

    // Patient search as you type: fetch the list's rows from the server.
    document.querySelectorAll("form[data-live-search]").forEach(function (form) {
      var target = document.querySelector(form.dataset.liveSearch);
      var latest = 0;
      var refresh = debounce(function () {
        var params = new URLSearchParams(new FormData(form));
        var ticket = ++latest;
        history.replaceState(null, "", form.action + "?" + params.toString());
        params.set("partial", "1");
        fetch(form.action + "?" + params.toString(), { headers: { "X-Requested-With": "fetch" } })
          .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
          .then(function (html) { if (ticket === latest) { target.innerHTML = html; } })
          .catch(function () { /* the Search button still works */ });
      }, 250);
      form.addEventListener("input", refresh);
      form.addEventListener("change", refresh);
      form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
    });

    // The computed reading of each test grid, from the server's one rule.
    document.querySelectorAll("form[data-interpretation-url]").forEach(function (form) {
      var url = form.dataset.interpretationUrl;
      form.querySelectorAll("[data-grid]").forEach(function (grid) {
        var output = grid.querySelector("[data-reading]");
        var update = debounce(function () {
          var params = new URLSearchParams();
          grid.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
            params.append("reproduced", radio.value);
          });
          var differentiation = grid.querySelector("select[name$='-differentiation']");
          if (differentiation) { params.set("differentiation", differentiation.value); }
          fetch(url + "?" + params.toString(), { headers: { "Accept": "application/json" } })
            .then(function (response) { return response.json(); })
            .then(function (data) {
              output.textContent = data.label;
              output.className = "reading " + data.interpretation;
            })
            .catch(function () {});
        }, 150);
        grid.addEventListener("change", update);
      });
    });

    // Exercise library: filter the list as the therapist types or picks.
    document.querySelectorAll("[data-library]").forEach(function (library) {
      var text = library.querySelector("input[name=q]");
      var kind = library.querySelector("select[name=kind]");
      var nerve = library.querySelector("select[name=nerve]");
      var empty = library.querySelector("[data-library-empty]");
      function filter() {
        var words = text.value.trim().toLowerCase();
        var shown = 0;
        library.querySelectorAll("li[data-name]").forEach(function (item) {
          var visible = (!words || item.dataset.name.indexOf(words) !== -1) &&
            (!kind.value || item.dataset.kind === kind.value) &&
            (!nerve.value || item.dataset.nerve === nerve.value);
          item.hidden = !visible;
          if (visible) { shown += 1; }
        });
        empty.hidden = shown > 0;
      }
      [text, kind, nerve].forEach(function (control) {
        control.addEventListener("input", filter);
        control.addEventListener("change", filter);
      });
      text.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); filter(); }
      });
    });
  });
})();
