// Draws the dashboard's charts with the vendored Chart.js from the JSON the page embeds.
// Counts that are not numbers ("<5", "hidden") are suppressed: they are left out, never guessed.
(function () {
  "use strict";

  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const report = data.report;
  const shown = (value) => (typeof value === "number" ? value : null);
  const sum = (values) => values.reduce((total, value) => total + (shown(value) || 0), 0);

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#334155";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function emptyNote(canvas, text) {
    const note = document.createElement("p");
    note.className = "muted empty";
    note.textContent = text;
    canvas.parentElement.replaceWith(note);
  }

  function categoriesChart() {
    const canvas = document.getElementById("chart-categories");
    const labels = report.periods.map((row) => row.period);
    const datasets = Object.entries(data.categories)
      .map(([id, category]) => ({
        label: category.title,
        data: report.periods.map((row) => shown(row.categories[id])),
        backgroundColor: category.colour,
        borderRadius: 2,
        stack: "posts",
      }))
      .filter((dataset) => dataset.data.some((value) => value !== null));
    if (datasets.length === 0) {
      emptyNote(canvas, `No category reached ${report.min_count} warned posts in any ${report.group_by} of this range.`);
      return null;
    }
    return new Chart(canvas, {
      type: "bar",
      data: { labels, datasets },
      options: {
        scales: {
          x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 10, font: { size: 11 } } } },
      },
    });
  }

  function platformsChart() {
    const canvas = document.getElementById("chart-platforms");
    let ids = Object.keys(data.platforms);
    let checks;
    let warned;
    if (report.summary.platforms) {
      checks = ids.map((id) => report.summary.platforms[id].checks);
      warned = ids.map((id) => report.summary.platforms[id].warned_posts);
    } else {
      ids = [report.platform];
      checks = [report.summary.checks];
      warned = [report.summary.warned_posts];
    }
    if (sum(checks) === 0) {
      emptyNote(canvas, `No platform reached ${report.min_count} posts checked in any ${report.group_by} of this range.`);
      return null;
    }
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: ids.map((id) => data.platforms[id]),
        datasets: [
          { label: "Posts checked", data: checks, backgroundColor: "#a5b4fc", borderRadius: 3 },
          { label: "Posts with a warning", data: warned, backgroundColor: "#4338ca", borderRadius: 3 },
        ],
      },
      options: {
        scales: { x: { grid: { display: false } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "top", align: "end", labels: { boxWidth: 12 } } },
      },
    });
  }

  function outcomesChart() {
    // Drawn from the periods that show the share, so the picture and the percentage agree.
    const canvas = document.getElementById("chart-outcomes");
    const outcomes = report.summary.outcomes;
    const share = outcomes.revised_or_cancelled_share;
    if (share === null) {
      emptyNote(canvas, `Fewer than ${report.min_count} outcomes reported by the extension in any ${report.group_by} of this range.`);
      return null;
    }
    const revised = outcomes.revised_or_cancelled;
    return new Chart(canvas, {
      type: "doughnut",
      data: {
        labels: ["Edited or cancelled", "Posted anyway"],
        datasets: [{ data: [revised, outcomes.share_based_on - revised], backgroundColor: ["#16a34a", "#f97316"], borderWidth: 1 }],
      },
      options: {
        cutout: "58%",
        plugins: {
          legend: { position: "right", labels: { boxWidth: 12 } },
          title: { display: true, text: `${Math.round(share * 100)}% edited or cancelled (Twitter: 34%)`, font: { weight: "600" } },
        },
      },
    });
  }

  function topBars() {
    const bars = Array.from(document.querySelectorAll("#top-categories .bar"));
    const largest = Math.max(1, ...bars.map((bar) => Number(bar.dataset.value)));
    for (const bar of bars) {
      bar.style.width = `${(100 * Number(bar.dataset.value)) / largest}%`;
      bar.style.backgroundColor = bar.dataset.colour;
    }
  }

  topBars();
  window.dashboardCharts = {
    categories: categoriesChart(),
    platforms: platformsChart(),
    outcomes: outcomesChart(),
  };
  document.documentElement.dataset.chartsReady = "true";
})();
