// Pocketweb live reload (development server of the window only): reload this page when a file
// of its app is saved. Asks first when a form on the page holds input not yet sent.
(function () {
  "use strict";
  var tag = document.currentScript;
  var poll = tag.getAttribute("data-poll");
  var app = tag.getAttribute("data-app");
  var number = tag.getAttribute("data-number");

  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.options) {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].selected !== field.options[i].defaultSelected) { return true; }
      }
      return false;
    }
    if (field.type === "file") { return field.value !== ""; }
    return field.type !== "hidden" && field.value !== field.defaultValue;
  }

  function unsavedInput() {
    for (var f = 0; f < document.forms.length; f++) {
      var fields = document.forms[f].elements;
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].name !== undefined && changed(fields[i])) { return true; }
      }
    }
    return false;
  }

  function reload() {
    if (!unsavedInput() || window.confirm(
        "A file of this application was saved. Reload the page? What you typed here is lost.")) {
      window.location.reload();
      return true;
    }
    return false;
  }

  function again(seconds) { window.setTimeout(ask, seconds * 1000); }

  function ask() {
    var url = poll + "?app=" + encodeURIComponent(app) + "&number=" + encodeURIComponent(number);
    window.fetch(url, {cache: "no-store"}).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (answer) {
      if (String(answer.number) !== String(number)) {
        number = answer.number;
        if (reload()) { return; }
      }
      again(answer.retry || 0);
    }, function () { again(5); });  // the server is stopped or restarting: try again later
  }

  ask();
})();
