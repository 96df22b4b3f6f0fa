// Plain SVG charts drawn here (no library): a bar chart of one series over time buckets.

const NS = "http://www.w3.org/2000/svg";

function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

function short(value) {
  if (value >= 1e9) return (value / 1e9).toFixed(1) + "G";
  if (value >= 1e6) return (value / 1e6).toFixed(1) + "M";
  if (value >= 1e3) return (value / 1e3).toFixed(1) + "k";
  if (value === 0 || value >= 1) return String(Math.round(value * 10) / 10);
  return value < 0.01 ? value.toExponential(1) : value.toPrecision(2);
}

/**
 * buckets: [{label, value}], oldest first. Returns an <svg> that scales to its container's width.
 * Each bar has a <title> (the exact value) for the pointer.
 */
export function barChart(title, buckets, options = {}) {
  const width = 480, height = 170, left = 46, bottom = 22, top = 10, right = 6;
  const max = Math.max(0, ...buckets.map(b => b.value || 0));
  const scale = max > 0 ? max : 1;
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "chart " + (options.cls || ""), role: "img",
    "aria-label": title,
  });
  svg.appendChild(s("title", {}, title));
  const plotW = width - left - right, plotH = height - top - bottom;
  // axis and two grid lines: 0, half, max
  for (const f of [0, 0.5, 1]) {
    const y = top + plotH - f * plotH;
    svg.appendChild(s("line", { x1: left, x2: width - right, y1: y, y2: y, class: "grid" }));
    svg.appendChild(s("text", { x: left - 4, y: y + 4, class: "axis", "text-anchor": "end" }, short(f * max)));
  }
  const n = Math.max(1, buckets.length);
  const step = plotW / n;
  buckets.forEach((b, i) => {
    const value = b.value || 0;
    const barH = (value / scale) * plotH;
    const rect = s("rect", {
      x: left + i * step + step * 0.12, y: top + plotH - barH, width: Math.max(1, step * 0.76), height: barH,
      class: "bar",
    });
    rect.appendChild(s("title", {}, `${b.label}: ${options.format ? options.format(value) : value}`));
    svg.appendChild(rect);
  });
  // first, middle and last bucket labels
  const marks = [...new Set([0, Math.floor((n - 1) / 2), n - 1])];
  for (const i of marks) {
    if (!buckets[i]) continue;
    // the first label starts at the axis, the last ends at the edge: none is cut off
    const anchor = i === 0 ? "start" : i === n - 1 ? "end" : "middle";
    const x = i === 0 ? left : i === n - 1 ? width - right : left + i * step + step / 2;
    svg.appendChild(s("text", { x, y: height - 6, class: "axis", "text-anchor": anchor }, buckets[i].label));
  }
  return svg;
}
