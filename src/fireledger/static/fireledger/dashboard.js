/* The dashboards' charts (ECharts, SVG renderer) and map (Leaflet). The figures come from
   json_script blocks the server wrote; every number is also a plain link in the page, so this
   only draws. Clicking a bar, slice or point opens the list behind it. */
(function () {
  "use strict";

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function option(chart) {
    var narrow = window.innerWidth < 576;
    var base = {
      animation: false,
      tooltip: { trigger: chart.kind === "pie" ? "item" : "axis", confine: true },
      legend: { show: chart.series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: chart.series.length > 1 ? 32 : 12, bottom: 8,
              containLabel: true }
    };
    if (chart.kind === "pie") {
      base.legend = { show: true, bottom: 0, type: "scroll" };
      base.series = [{
        type: "pie", radius: narrow ? ["30%", "58%"] : ["35%", "65%"], center: ["50%", "45%"],
        label: { show: !narrow, formatter: "{b}: {c}" },
        // Empty slices are left out (their labels would pile up); the table lists them.
        data: chart.labels.map(function (label, i) {
          return { name: label, value: chart.series[0].data[i] };
        }).filter(function (d) { return d.value > 0; })
      }];
      return base;
    }
    var horizontal = chart.kind === "hbar";
    var category = { type: "category", data: chart.labels,
                     axisLabel: { width: narrow ? 90 : 160, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    if (horizontal) {
      category.inverse = true;
      base.xAxis = value; base.yAxis = category;
    } else {
      base.xAxis = category; base.yAxis = value;
    }
    base.series = chart.series.map(function (s) {
      return { name: s.name, type: chart.kind === "line" ? "line" : "bar", data: s.data,
               smooth: false, label: { show: chart.kind !== "line" && !narrow,
                                       position: horizontal ? "right" : "top" } };
    });
    return base;
  }

  function drawCharts() {
    var charts = readJson("dash-charts");
    if (!charts || !window.echarts) return;
    var instances = [];
    charts.forEach(function (chart) {
      var el = document.getElementById(chart.id);
      if (!el) return;
      if (chart.kind === "hbar") {
        // One row per label, so that twenty categories stay readable.
        var rows = chart.labels.length * chart.series.length;
        el.style.height = Math.max(240, 60 + rows * (chart.series.length > 1 ? 14 : 22)) + "px";
      }
      var instance = window.echarts.init(el, null, { renderer: "svg" });
      instance.setOption(option(chart));
      instance.on("click", function (params) {
        var series = chart.kind === "pie" ? chart.series[0] : chart.series[params.seriesIndex];
        var index = chart.kind === "pie" ? chart.labels.indexOf(params.name) : params.dataIndex;
        var url = series && series.links[index];
        if (url) window.location.href = url;
      });
      el.dataset.drawn = "1";
      instances.push(instance);
    });
    window.addEventListener("resize", function () {
      instances.forEach(function (i) { i.resize(); });
    });
  }

  function drawMap() {
    var data = readJson("dash-map-data");
    var el = document.getElementById("dash-map");
    if (!data || !el || !window.L || !data.points.length) return;
    // Canvas renderer: thousands of points stay fast; no marker images are fetched.
    var map = window.L.map(el, { preferCanvas: true, attributionControl: !!data.tiles });
    if (data.tiles) {
      window.L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    }
    var bounds = [];
    data.points.forEach(function (p) {
      var marker = window.L.circleMarker([p[0], p[1]], {
        radius: 6, color: "#b91c1c", weight: 1, fillColor: "#ef4444", fillOpacity: 0.8
      }).addTo(map);
      var popup = document.createElement("div");
      var name = document.createElement("strong");
      name.textContent = p[2];
      var link = document.createElement("a");
      link.href = p[3];
      link.textContent = data.open_label;
      link.className = "d-block dash-map-link";
      popup.appendChild(name);
      popup.appendChild(link);
      marker.bindPopup(popup);
      bounds.push([p[0], p[1]]);
    });
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    el.dataset.drawn = "1";
    window.dashMap = map;
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    drawMap();
  });
})();
