// Shared by every hub page: live reload when a file the page shows changes, the step page's
// "run the tests" button, and a source view opened at a test (#test=…).
(() => {
  const watched = (document.body.dataset.watch || "").split(" ").filter(Boolean);
  if (watched.length > 0 && "EventSource" in window) {
    const events = new EventSource("/events");
    events.addEventListener("change", (event) => {
      const { paths } = JSON.parse(event.data);
      if (paths.some((changed) => watched.some((prefix) => changed === prefix || changed.startsWith(prefix)))) location.reload();
    });
  }

  for (const button of document.querySelectorAll("button.run-tests")) {
    button.addEventListener("click", async () => {
      const result = button.parentElement.querySelector(".run-result");
      button.disabled = true;
      result.textContent = "running…";
      try {
        const response = await fetch(`/api/run/${button.dataset.step}`, { method: "POST" });
        const body = await response.json();
        result.textContent = body.message;
      } catch (error) {
        result.textContent = `the hub did not answer: ${error}`;
      } finally {
        button.disabled = false;
      }
    });
  }

  const test = /^#test=(.+)$/.exec(location.hash);
  if (test) {
    const title = decodeURIComponent(test[1]);
    const line = Array.from(document.querySelectorAll(".source .line")).find((candidate) => candidate.textContent.includes(title));
    if (line) {
      line.classList.add("target");
      line.scrollIntoView({ block: "center" });
    }
  }
  document.body.dataset.ready = "true";
})();
