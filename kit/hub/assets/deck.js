// The deck in the browser: one slide at a time, keyboard navigation, a URL per slide (#/3/1 is
// slide 3 after its first fragment), and a presenter view kept in step over a BroadcastChannel.
(() => {
  const host = document.querySelector("[data-deck]");
  if (!host) return;
  const name = host.dataset.deck;
  const mode = host.dataset.mode;
  const deck = host.classList.contains("deck") ? host : host.querySelector(".deck");
  const slides = Array.from(deck.querySelectorAll(":scope > section.slide"));
  const stepsOf = (i) => Number(slides[i]?.dataset.steps ?? 0);
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(`deck:${name}`) : null;
  let index = 0;
  let step = 0;

  function readHash() {
    const match = /^#\/(\d+)(?:\/(\d+))?$/.exec(location.hash);
    if (!match) return;
    index = Math.min(Math.max(Number(match[1]) - 1, 0), slides.length - 1);
    step = Math.min(Math.max(Number(match[2] ?? 0), 0), stepsOf(index));
  }

  function applyStep(slide, upTo) {
    for (const fragment of slide.querySelectorAll(".fragment")) fragment.classList.toggle("shown", Number(fragment.dataset.step) <= upTo);
    for (const pre of slide.querySelectorAll("pre[data-focus]")) {
      let lines = [];
      for (const focus of JSON.parse(pre.dataset.focus)) if (focus.step <= upTo) lines = focus.lines;
      const wanted = new Set(lines);
      pre.classList.toggle("has-focus", wanted.size > 0);
      for (const line of pre.querySelectorAll(".line")) line.classList.toggle("focus", wanted.has(Number(line.dataset.line)));
    }
  }

  function fit(container, target, width = 1280, height = 720) {
    const box = container.getBoundingClientRect();
    target.style.setProperty("--scale", String(Math.min(box.width / width, box.height / height)));
  }

  function render(origin) {
    slides.forEach((slide, i) => {
      slide.hidden = i !== index;
      slide.classList.toggle("current", i === index);
    });
    const slide = slides[index];
    if (!slide) return;
    applyStep(slide, step);
    const hash = `#/${index + 1}${step > 0 ? `/${step}` : ""}`;
    if (location.hash !== hash) history.replaceState(null, "", hash);
    document.body.dataset.slide = String(index + 1);
    document.body.dataset.step = String(step);
    for (const counter of document.querySelectorAll(".counter")) counter.textContent = `${index + 1} / ${slides.length}`;
    const bar = document.querySelector(".progress .bar");
    if (bar) bar.style.width = `${(100 * (index + 1)) / slides.length}%`;
    if (mode === "presenter") renderPresenter(slide);
    if (origin !== "remote" && channel) channel.postMessage({ index, step });
  }

  function renderPresenter(slide) {
    const nextPane = document.querySelector(".next-pane");
    const notesPane = document.querySelector(".notes-pane");
    const nextSlide = step < stepsOf(index) ? slide : slides[index + 1];
    nextPane.replaceChildren();
    if (nextSlide) {
      const copy = nextSlide.cloneNode(true);
      copy.hidden = false;
      copy.removeAttribute("aria-label");
      if (nextSlide === slide) applyStep(copy, step + 1);
      else applyStep(copy, 0);
      nextPane.append(copy);
      fit(nextPane, copy);
    } else {
      nextPane.textContent = "— the end —";
    }
    const notes = slide.querySelector("aside.notes");
    notesPane.innerHTML = notes ? notes.innerHTML : '<p class="muted">No notes for this slide.</p>';
    fit(document.querySelector(".current-pane"), deck);
  }

  function next() {
    if (step < stepsOf(index)) step += 1;
    else if (index < slides.length - 1) (index += 1), (step = 0);
    render();
  }
  function previous() {
    if (step > 0) step -= 1;
    else if (index > 0) (index -= 1), (step = stepsOf(index));
    render();
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Enter": next(); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace": previous(); break;
      case "Home": (index = 0), (step = 0), render(); break;
      case "End": (index = slides.length - 1), (step = stepsOf(index)), render(); break;
      case "p": case "P": window.open(`/decks/${name}/presenter${location.hash}`, `presenter-${name}`); break;
      case "f": case "F": document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen?.(); break;
      default: return;
    }
    event.preventDefault();
  });
  window.addEventListener("hashchange", () => (readHash(), render()));
  window.addEventListener("resize", () => (mode === "presenter" ? render("remote") : fit(document.documentElement, deck)));
  if (channel) channel.onmessage = (event) => ((index = event.data.index), (step = event.data.step), render("remote"));

  if (mode === "presenter") {
    let startedAt = Date.now();
    const timer = document.querySelector(".timer");
    const tick = () => {
      const seconds = Math.floor((Date.now() - startedAt) / 1000);
      timer.textContent = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    };
    setInterval(tick, 1000);
    document.querySelector(".reset-timer")?.addEventListener("click", () => ((startedAt = Date.now()), tick()));
    document.querySelector(".open-audience")?.addEventListener("click", (event) => {
      event.preventDefault();
      window.open(`/decks/${name}/${location.hash}`, `deck-${name}`);
    });
  } else {
    fit(document.documentElement, deck);
  }
  // Printing shows every slide, whole; the screen comes back as it was.
  window.addEventListener("beforeprint", () => slides.forEach((slide) => applyStep(slide, Number.MAX_SAFE_INTEGER)));
  window.addEventListener("afterprint", () => render("remote"));

  readHash();
  render();
  document.body.dataset.ready = "true";
})();
