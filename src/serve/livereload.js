(() => {
  const base = document.currentScript.dataset.base;
  const events = new EventSource(base + "__passerelle/events");
  const overlayId = "passerelle-errors";
  const hide = () => { const o = document.getElementById(overlayId); if (o) o.remove(); };
  const show = (report) => {
    hide();
    const lang = (document.documentElement.lang || "en").split("-")[0];
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", overlayId + "-title");
    box.style.cssText = "position:fixed;inset:1rem;z-index:99999;overflow:auto;background:#fff;color:#1b1f24;border:4px solid #b00020;border-radius:8px;padding:1rem 1.25rem;font:15px/1.5 system-ui,sans-serif;box-shadow:0 4px 24px rgba(0,0,0,.3)";
    const title = document.createElement("h2");
    title.id = overlayId + "-title";
    title.style.cssText = "margin:0 0 .5rem;color:#b00020;font-size:1.2rem";
    title.textContent = report.title[lang] || report.title.en || Object.values(report.title)[0];
    box.append(title);
    const note = document.createElement("p");
    note.textContent = report.note[lang] || report.note.en || Object.values(report.note)[0];
    box.append(note);
    for (const e of report.errors) {
      const item = document.createElement("pre");
      item.style.cssText = "white-space:pre-wrap;background:#f6f6f6;padding:.5rem .75rem;border-inline-start:4px solid #b00020;margin:.75rem 0";
      item.textContent = e;
      box.append(item);
    }
    document.body.append(box);
  };
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", (e) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) link.href = e.data;
    hide();
  });
  events.addEventListener("errors", (e) => show(JSON.parse(e.data)));
  events.addEventListener("ok", hide);
})();
