() => {
  // The chat page's behaviour in the browser (run once on load, see ui/chat.py). Nothing is fetched.
  if (window.rqaChat) return;
  window.rqaChat = true;
  const LIMIT = 500; // rag.questions.MAX_QUESTION_CHARS
  const FLASH_MS = 2000;
  const shown = new WeakSet();

  // The character counter beside the box: it shows as soon as there is text, and says when it is too long.
  const updateCounter = () => {
    const box = document.querySelector("#rqa-question textarea");
    const counter = document.getElementById("rqa-count");
    if (!box || !counter) return;
    const length = [...box.value.trim()].length;
    const text = length ? `${length}/${LIMIT}` + (length > LIMIT ? " 太长了" : "") : "";
    if (counter.textContent !== text) counter.textContent = text; // (the observer below sees every change)
    counter.classList.toggle("rqa-over", length > LIMIT);
  };

  // A new answer (or error) at the bottom of the chat: bring its top into view, not the chat's end,
  // so the citizen starts reading at the answer and not at its citation cards.
  const followNewMessages = () => {
    const messages = document.querySelectorAll("#rqa-chat .rqa-answer, #rqa-chat .rqa-error, #rqa-chat .rqa-pending");
    const last = messages[messages.length - 1];
    if (!last || shown.has(last)) return;
    shown.add(last);
    const bubble = last.closest(".message") || last;
    bubble.scrollIntoView({ block: last.classList.contains("rqa-pending") ? "nearest" : "start" });
  };
  // The server empties the box when it takes a question: the chat changes then, so recount too.
  new MutationObserver(() => (followNewMessages(), updateCounter())).observe(document.body, { childList: true, subtree: true });

  const flash = (element) => {
    element.classList.add("rqa-flash");
    setTimeout(() => element.classList.remove("rqa-flash"), FLASH_MS);
  };

  const copyText = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = Object.assign(document.createElement("textarea"), { value: text });
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
  };

  // 👍 / 👎 go to the server through a hidden textbox and button (ui/chat.py: #rqa-action, #rqa-action-go).
  const sendAction = (action) => {
    const box = document.querySelector("#rqa-action textarea, #rqa-action input");
    const go = document.querySelector("#rqa-action-go");
    if (!box || !go) return;
    box.value = action;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(() => go.click(), 50);
  };

  const showDownForm = (tries = 20) => {
    const form = document.getElementById("rqa-down-form");
    if (form && form.offsetParent) form.scrollIntoView({ block: "center" });
    else if (tries) setTimeout(() => showDownForm(tries - 1), 100);
  };

  document.addEventListener("click", (event) => {
    const ref = event.target.closest("#rqa-chat a.rqa-ref");
    if (ref) {
      event.preventDefault();
      const card = document.getElementById(ref.getAttribute("href").slice(1));
      if (card) {
        card.scrollIntoView({ block: "center" });
        flash(card);
      }
      return;
    }
    const button = event.target.closest("#rqa-chat .rqa-action");
    if (!button) return;
    event.preventDefault();
    const answer = button.closest(".rqa-answer");
    if (!answer) return;
    if (button.classList.contains("rqa-copy")) {
      copyText(answer.querySelector(".rqa-text").innerText.trim()).then(() => {
        button.textContent = "已复制";
        setTimeout(() => (button.textContent = "复制回答"), FLASH_MS);
      });
      return;
    }
    const turn = answer.id.replace("rqa-turn-", "");
    const down = button.classList.contains("rqa-down");
    answer.querySelectorAll(".rqa-rate").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    sendAction(`${down ? "down" : "up"} ${turn}`);
    if (down) showDownForm();
  });

  document.addEventListener("input", (event) => {
    if (event.target.closest("#rqa-question")) updateCounter();
  });
}
