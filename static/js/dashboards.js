// Dashboard charts (统计看板). The page passes its charts as a JSON data block
// (id "chart-data", from json_script); no inline script, no inline style attribute:
// tooltips are plain text (the CSP refuses the style="" ECharts puts in its default ones).
(function () {
  "use strict";

  var DAY = 24 * 3600 * 1000;
  var COLORS = ["#0d6efd", "#fd7e14", "#20c997", "#6f42c1", "#dc3545", "#198754", "#6c757d"];

  function escape(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  function number(value, percent) {
    if (value === null || value === undefined) {
      return "—";
    }
    return percent ? value + "%" : String(value);
  }

  function barOption(spec) {
    // Labels slanted when they cannot stand side by side: many categories, or long labels
    // (a half-width chart holds about 30 characters of Chinese across its axis).
    var letters = spec.categories.reduce(function (sum, label) { return sum + String(label).length; }, 0);
    var many = spec.categories.length > 6 || letters > 30;
    return {
      color: COLORS,
      title: {text: spec.title, left: "center", textStyle: {fontSize: 14}},
      tooltip: {
        trigger: "axis",
        axisPointer: {type: "shadow"},
        formatter: function (items) {
          var lines = [escape(items.length ? items[0].axisValue : "")];
          items.forEach(function (item) {
            lines.push(escape(item.seriesName + "：" + number(item.value, spec.percent)));
          });
          return lines.join("<br>");
        }
      },
      legend: {top: 24},
      grid: {left: 50, right: 20, top: 64, bottom: many ? 90 : 40, containLabel: true},
      xAxis: {type: "category", data: spec.categories,
              axisLabel: {interval: 0, rotate: many ? 35 : 0, width: many ? null : 90, overflow: "break"}},
      yAxis: {
        type: "value",
        minInterval: spec.percent ? 0 : 1,
        max: spec.percent ? 100 : null,
        axisLabel: {formatter: spec.percent ? "{value}%" : "{value}"}
      },
      series: spec.series.map(function (series) {
        var scatter = series.type === "scatter";
        return {
          name: series.name,
          type: scatter ? "scatter" : "bar",
          itemStyle: series.color ? {color: series.color} : undefined,
          stack: series.stack || null,
          data: series.data,
          symbol: scatter ? "rect" : undefined,
          symbolSize: scatter ? [28, 4] : undefined,
          barMaxWidth: 36,
          label: {show: !series.stack && !scatter && spec.categories.length <= 12, position: "top",
                  formatter: function (p) { return number(p.value, spec.percent); }}
        };
      })
    };
  }

  function ganttBar(offset) {
    return function (params, api) {
      var row = api.value(0);
      var start = api.coord([api.value(1), row]);
      var end = api.coord([api.value(2), row]);
      var band = api.size([0, 1])[1];
      var height = band * 0.3;
      var shape = window.echarts.graphic.clipRectByRect(
        {x: start[0], y: start[1] + offset * band - height / 2, width: Math.max(end[0] - start[0], 2), height: height},
        {x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height}
      );
      return shape && {type: "rect", transition: ["shape"], shape: shape, style: api.style()};
    };
  }

  function ganttOption(spec) {
    var planned = [];
    var actual = [];
    spec.rows.forEach(function (row, index) {
      planned.push({value: [index, Date.parse(row.planned[0]), Date.parse(row.planned[1]) + DAY],
                    range: row.planned, name: row.name, progress: row.progress});
      if (row.actual) {
        actual.push({value: [index, Date.parse(row.actual[0]), Date.parse(row.actual[1]) + DAY],
                     range: row.actual, name: row.name, progress: row.progress});
      }
    });
    return {
      title: {text: spec.title, left: "center", textStyle: {fontSize: 14}},
      tooltip: {
        formatter: function (item) {
          var data = item.data;
          return [escape(data.name), escape(item.seriesName + "：" + data.range[0] + " 至 " + data.range[1]),
                  escape("进度：" + data.progress)].join("<br>");
        }
      },
      legend: {top: 24, data: ["计划", "实际"]},
      grid: {left: 20, right: 40, top: 64, bottom: 40, containLabel: true},
      xAxis: {type: "time", position: "top", splitLine: {show: true}, axisLabel: {formatter: "{yyyy}-{MM}"},
              max: function (extent) { return Math.max(extent.max, Date.parse(spec.today) + 30 * DAY); }},
      yAxis: {type: "category", data: spec.rows.map(function (row) { return row.name; }), inverse: true,
              axisTick: {show: false}},
      series: [
        {name: "计划", type: "custom", renderItem: ganttBar(-0.18), encode: {x: [1, 2], y: 0}, data: planned,
         itemStyle: {color: "#6ea8fe"},
         markLine: {silent: true, symbol: "none", lineStyle: {color: "#dc3545", type: "dashed"},
                    label: {formatter: "今日"}, data: [{xAxis: Date.parse(spec.today)}]}},
        {name: "实际", type: "custom", renderItem: ganttBar(0.18), encode: {x: [1, 2], y: 0}, data: actual,
         itemStyle: {color: "#198754"}}
      ]
    };
  }

  function draw(spec) {
    var element = document.getElementById(spec.id);
    if (!element) {
      return;
    }
    var gantt = spec.type === "gantt";
    element.style.width = "100%";
    element.style.height = (gantt ? Math.max(200, spec.rows.length * 34 + 110) : 380) + "px";
    var chart = window.echarts.init(element, null, {renderer: "canvas"});
    chart.setOption(gantt ? ganttOption(spec) : barOption(spec));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var block = document.getElementById("chart-data");
    if (!block || !window.echarts) {
      return;
    }
    JSON.parse(block.textContent).forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
