// Fetch the cities from the JSON API and draw them in the table; no library needed.
(function () {
  "use strict";
  var search = document.getElementById("search");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var body = document.querySelector("#cities tbody");

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text;  // textContent, never innerHTML: data cannot inject markup
    if (className) { td.className = className; }
    return td;
  }

  function draw(cities) {
    body.textContent = "";
    cities.forEach(function (city) {
      var row = document.createElement("tr");
      row.appendChild(cell(city.name));
      row.appendChild(cell(city.country));
      row.appendChild(cell(city.population.toLocaleString(), "number"));
      body.appendChild(row);
    });
    status.textContent = cities.length + (cities.length === 1 ? " city" : " cities");
  }

  function load() {
    var url = search.dataset.api + "?q=" + encodeURIComponent(input.value);
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (answer) {
        if (!answer.ok) { throw new Error("the server answered " + answer.status); }
        return answer.json();
      })
      .then(function (data) { draw(data.cities); })
      .catch(function (error) { status.textContent = "Could not load the cities: " + error.message; });
  }

  var timer = null;
  input.addEventListener("input", function () {  // wait until typing pauses, then ask again
    clearTimeout(timer);
    timer = setTimeout(load, 200);
  });
  search.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  load();
})();
