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
    // Days ticked are the days a week: the count follows them, and the field waits
    // until no day is ticked again.
    function followTickedDays(days) {
      var item = days.closest(".plan-item");
      var count = item && item.querySelector("input[name$='-days_per_week']");
      if (!count) { return; }
      var ticked = days.querySelectorAll("input[type=checkbox]:checked").length;
      if (ticked) { count.value = ticked; }
      count.readOnly = ticked > 0;
    }
    function followAllTickedDays() {
      document.querySelectorAll("[data-weekdays]").forEach(followTickedDays);
    }
    followAllTickedDays();
    document.body.addEventListener("glide:server-touched", followAllTickedDays);
    document.addEventListener("change", function (event) {
      var days = event.target.closest && event.target.closest("[data-weekdays]");
      if (days) { followTickedDays(days); }
    });

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

    // Copy a field's value (the patient's link) where the browser lets a page write
    // to the clipboard; without it the button stays hidden and the field is selectable.
    if (navigator.clipboard) {
      document.querySelectorAll("button[data-copy]").forEach(function (button) {
        var field = document.getElementById(button.dataset.copy);
        var status = document.querySelector('[data-copy-status="' + button.dataset.copy + '"]');
        button.hidden = false;
        button.addEventListener("click", function () {
          navigator.clipboard.writeText(field.value).then(
            function () { status.textContent = "Copied."; },
            function () { field.select(); status.textContent = "Select the address and copy it."; }
          );
        });
      });
    }

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
          if (!params.has("reproduced") && (!differentiation || differentiation.value === "not_tested")) {
            output.textContent = "Not recorded yet";
            output.className = "reading none";
            return;
          }
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

    // The assessment grid: grids appear in place as tests are ticked; Enter in a
    // field does not send the form; the last visit's kind and place in one press;
    // the difference between the sides as the therapist types.
    document.querySelectorAll("form.assessment-form").forEach(function (form) {
      var empty = form.querySelector("[data-no-grids]");
      function showTicked() {
        var shown = 0;
        form.querySelectorAll("input[name=tests]").forEach(function (box) {
          form.querySelectorAll("[data-grid][data-test-id='" + box.value + "']").forEach(function (grid) {
            grid.hidden = !box.checked;
            if (box.checked) { shown += 1; }
          });
        });
        if (empty) { empty.hidden = shown > 0; }
      }
      form.querySelectorAll("input[name=tests]").forEach(function (box) {
        box.addEventListener("change", showTicked);
      });
      form.addEventListener("keydown", function (event) {
        var target = event.target;
        if (event.key === "Enter" && target.tagName === "INPUT" && target.type !== "submit") {
          event.preventDefault();
        }
      });
      form.querySelectorAll("[data-same-as-last]").forEach(function (button) {
        button.addEventListener("click", function () {
          var row = button.closest("[data-row]");
          var kinds = (button.dataset.kinds || "").split(" ");
          row.querySelectorAll("input[name$='-symptom_kinds']").forEach(function (box) {
            box.checked = kinds.indexOf(box.value) !== -1;
          });
          var location = row.querySelector("input[name$='-location']");
          if (location && button.dataset.location) { location.value = button.dataset.location; }
          var intensity = row.querySelector("input[name$='-intensity']");
          form.dispatchEvent(new Event("input", { bubbles: true }));
          if (intensity) { intensity.focus(); }
        });
      });
      var notable = parseInt(form.dataset.notableDifference || "10", 10);
      function onset(code, side) {
        var input = form.querySelector("[name='" + code + "-" + side + "-range_at_onset_deg']");
        var value = input ? input.value.trim() : "";
        return /^\d+$/.test(value) ? parseInt(value, 10) : null;
      }
      form.addEventListener("input", function (event) {
        if (!event.target.name || !/-range_at_onset_deg$/.test(event.target.name)) { return; }
        var grid = event.target.closest("[data-grid]");
        var code = grid.dataset.testCode;
        var left = onset(code, "left"), right = onset(code, "right");
        var text = "";
        if (left !== null && right !== null) {
          var difference = Math.abs(left - right);
          text = "Difference between sides at P1: " + difference + "°" +
            (difference > notable ? " (more than " + notable + "°)" : "");
        }
        form.querySelectorAll("[data-grid][data-test-code='" + code + "'] [data-side-difference]").forEach(function (output) {
          output.textContent = text;
          output.classList.toggle("notable", text !== "" && Math.abs(left - right) > notable);
        });
      });
    });

    // A form's error summary takes the focus, so it is read first.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      // Its links put the focus in the field itself, not only the view.
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        var field = link && document.getElementById(link.getAttribute("href").slice(1));
        if (!field) { return; }
        event.preventDefault();
        var details = field.closest("details");
        if (details) { details.open = true; }
        field.focus();
      });
    }

    // Nothing typed is lost: a form with a draft key keeps what is typed in this
    // browser until the server has it. After a sign-in that cut the work short the
    // page comes back with every value; a saved form (the next page says so)
    // clears its copy, and so does logging out.
    var DRAFTS = "glide-draft:";
    var PENDING = "glide-draft-pending";
    function fieldsOf(form) {
      var values = [];
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!element.name || element.name === "csrfmiddlewaretoken" || element.type === "submit" ||
            element.type === "button" || element.type === "file") { return; }
        if ((element.type === "checkbox" || element.type === "radio") && !element.checked) { return; }
        values.push([element.name, element.value]);
      });
      return values;
    }
    function restore(form, values) {
      var byName = {};
      values.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!element.name || element.name === "csrfmiddlewaretoken" || element.type === "hidden") { return; }
        var wanted = byName[element.name] || [];
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = wanted.indexOf(element.value) !== -1;
        } else if (element.type !== "submit" && element.type !== "button") {
          element.value = wanted.length ? wanted[0] : "";
        }
        element.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
    if (document.querySelector(".message.success") && sessionStorage.getItem(PENDING)) {
      localStorage.removeItem(DRAFTS + sessionStorage.getItem(PENDING));
      sessionStorage.removeItem(PENDING);
    }
    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function () {
        Object.keys(localStorage).forEach(function (key) {
          if (key.indexOf(DRAFTS) === 0) { localStorage.removeItem(key); }
        });
      });
    });
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = DRAFTS + form.dataset.draftKey;
      var version = form.querySelector("input[name=version]");
      var saved = null;
      try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { saved = null; }
      var notice = form.querySelector("[data-draft-notice]");
      if (saved && !form.hasAttribute("data-bound") &&
          (!version || String(saved.version || "") === version.value)) {
        restore(form, saved.values);
        if (notice) {
          notice.textContent = "What you typed before being signed out is back. Save to keep it. ";
          var discard = document.createElement("button");
          discard.type = "button";
          discard.className = "button small";
          discard.textContent = "Discard it";
          discard.addEventListener("click", function () {
            localStorage.removeItem(key);
            window.location.reload();
          });
          notice.appendChild(discard);
          notice.hidden = false;
        }
      }
      var keep = debounce(function () {
        localStorage.setItem(key, JSON.stringify({
          version: version ? version.value : "", at: Date.now(), values: fieldsOf(form)
        }));
      }, 300);
      form.addEventListener("input", keep);
      form.addEventListener("change", keep);
      form.addEventListener("submit", function () {
        localStorage.setItem(key, JSON.stringify({
          version: version ? version.value : "", at: Date.now(), values: fieldsOf(form)
        }));
        sessionStorage.setItem(PENDING, form.dataset.draftKey);
      });
    });

    // Warn before the session ends for inactivity, with a way to stay signed in.
    var body = document.body;
    var sessionSeconds = parseInt(body.dataset.sessionSeconds || "0", 10);
    if (sessionSeconds > 0) {
      var warning = document.createElement("div");
      warning.className = "notice session-warning";
      warning.setAttribute("role", "alert");
      warning.hidden = true;
      document.body.appendChild(warning);
      var warnTimer, endTimer;
      var lead = Math.min(120, Math.floor(sessionSeconds / 4));
      var renew = function () {
        clearTimeout(warnTimer);
        clearTimeout(endTimer);
        warning.hidden = true;
        warnTimer = setTimeout(warn, (sessionSeconds - lead) * 1000);
        endTimer = setTimeout(ended, sessionSeconds * 1000);
      };
      var warn = function () {
        warning.textContent = "You will be signed out in " + (lead >= 60 ? Math.round(lead / 60) + " minute" +
          (lead >= 120 ? "s" : "") : lead + " seconds") + " without activity. What you type stays in this browser. ";
        var stay = document.createElement("button");
        stay.type = "button";
        stay.className = "button small primary";
        stay.textContent = "Stay signed in";
        stay.addEventListener("click", function () {
          fetch(body.dataset.keepaliveUrl, { method: "HEAD", credentials: "same-origin" }).then(function (response) {
            if (response.ok && !response.redirected) { renew(); } else { ended(); }
          });
        });
        warning.appendChild(stay);
        warning.hidden = false;
      };
      var ended = function () {
        warning.textContent = "You were signed out after a time without activity. What you typed is kept in this browser. ";
        var link = document.createElement("a");
        link.className = "button small primary";
        link.href = body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
        link.textContent = "Sign in again";
        warning.appendChild(link);
        warning.hidden = false;
      };
      body.addEventListener("glide:server-touched", renew);
      renew();
    }

    // The plan builder changes in place: Add, Up, Down and Remove send the form in
    // the background and put the new list of exercises where the old one was, the
    // focus on what was just moved or added. Without script the same buttons
    // reload the page; a signed-out answer falls back to that too.
    document.querySelectorAll("form.plan-builder").forEach(function (form) {
      var status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      form.appendChild(status);
      form.addEventListener("click", function (event) {
        var button = event.target.closest("button[type=submit]");
        if (!button || ["add", "move", "remove"].indexOf(button.name) === -1 || !window.fetch) { return; }
        event.preventDefault();
        var data = new FormData(form);
        data.append(button.name, button.value);
        var name = (button.getAttribute("aria-label") || button.textContent).trim();
        fetch(form.action || window.location.href, {
          method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
        }).then(function (response) {
          if (!response.ok || response.redirected) { throw new Error("signed out"); }
          return response.text();
        }).then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-plan-items]");
          if (!fresh) { throw new Error("unexpected answer"); }
          var items = form.querySelector("[data-plan-items]");
          items.innerHTML = fresh.innerHTML;
          document.body.dispatchEvent(new Event("glide:server-touched"));
          form.dispatchEvent(new Event("change", { bubbles: true }));
          var focus = null;
          var pieces = items.querySelectorAll(".plan-item");
          if (button.name === "add") {
            var added = pieces[pieces.length - 1];
            focus = added && added.querySelector("input[name$='-sets']");
            status.textContent = name.replace(/^Add /, "") + " added, number " + pieces.length + ".";
          } else if (button.name === "move") {
            var parts = button.value.split(":");
            var index = parseInt(parts[0], 10) + (parts[1] === "up" ? -1 : 1);
            var moved = pieces[index];
            focus = moved && (moved.querySelector("button[value='" + index + ":" + parts[1] + "']:not([disabled])") ||
              moved.querySelector("button[name=move]:not([disabled])"));
            status.textContent = name.replace(/^Move /, "") + ", now number " + (index + 1) + ".";
          } else {
            var next = pieces[Math.min(parseInt(button.value, 10), pieces.length - 1)];
            focus = next ? next.querySelector("button[name=remove]") : items.querySelector("h2");
            status.textContent = name.replace(/^Remove /, "") + " removed.";
          }
          (focus || items.querySelector("h2")).focus();
        }).catch(function () {
          var fallback = document.createElement("input");
          fallback.type = "hidden";
          fallback.name = button.name;
          fallback.value = button.value;
          form.appendChild(fallback);
          form.submit();
        });
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
