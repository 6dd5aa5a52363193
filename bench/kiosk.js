/* kiosk.js: the motion of the newswire screen, driven by
 * requestAnimationFrame as a web ticker is: the crawl at 120 px/s in whole
 * pixels, a card every 8 s with a 600 ms cross-fade, the dwell progress
 * line, the clock. window.STORIES and window.CLOCK_BASE_S come from
 * stories.js. Every callback is counted; the count goes to the title. */
"use strict";

const SPEED_PX_S = 120;
const DWELL_MS = 8000;
const STORIES = window.STORIES;
const CLOCK_BASE_S = window.CLOCK_BASE_S;

const cards = [document.getElementById("card-a"),
               document.getElementById("card-b")];
const counter = document.getElementById("counter");
const progress = document.getElementById("progress");
const crawl = document.getElementById("crawl");
const strip = document.getElementById("strip");
const clock = document.getElementById("clock");
const status = document.getElementById("status");

function upperAscii(s) {
    return s.replace(/[a-z]/g, (c) => c.toUpperCase());
}

function pad2(n) {
    return (n < 10 ? "0" : "") + n;
}

function hhmm(s) {
    const d = new Date(s * 1000);
    return pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes());
}

function relative(published, nowS) {
    const age = nowS - Date.parse(published) / 1000;
    if (age < 60) return "just now";
    if (age < 3600) return Math.floor(age / 60) + " min ago";
    if (age < 86400) return Math.floor(age / 3600) + " h ago";
    const days = Math.floor(age / 86400);
    return days === 1 ? "yesterday" : days + " days ago";
}

function readMinutes(text) {
    const words = text ? text.split(/\s+/).filter((w) => w).length : 0;
    return words ? Math.max(1, Math.round(words / 238)) : 0;
}

function fillCard(el, story, nowS) {
    el.textContent = "";
    const rule = document.createElement("div");
    rule.className = "rule";
    const meta = document.createElement("div");
    meta.className = "meta";
    const src = document.createElement("span");
    src.className = "source";
    src.textContent = upperAscii(story.source || "NEWS");
    meta.appendChild(src);
    let rest = "";
    if (story.published) rest += "  \u00b7  " + relative(story.published, nowS);
    /* newswire counts the article body; the fixture's body repeats its
     * description, which --dump-feed gives as the summary. */
    const min = readMinutes(story.summary);
    if (min > 0) rest += "  \u00b7  " + min + " min read";
    meta.appendChild(document.createTextNode(rest));
    const h1 = document.createElement("h1");
    h1.textContent = story.title;
    el.append(rule, meta, h1);
    if (story.summary) {
        const p = document.createElement("p");
        p.textContent = story.summary;
        el.appendChild(p);
    }
}

/* The crawl: every headline, its source and a separator, twice, so the
 * loop has no seam. */
function buildStrip() {
    for (let copy = 0; copy < 2; copy++) {
        for (const s of STORIES) {
            const t = document.createElement("span");
            t.className = "title";
            t.textContent = s.title;
            strip.appendChild(t);
            if (s.source) {
                const src = document.createElement("span");
                src.className = "src";
                src.textContent = upperAscii(s.source);
                strip.appendChild(src);
            }
            const sep = document.createElement("span");
            sep.className = "sep";
            sep.textContent = "\u2022";
            strip.appendChild(sep);
        }
    }
}

const label = document.getElementById("label");
crawl.style.left = label.offsetWidth + "px";
crawl.style.width = (1920 - 285 - label.offsetWidth) + "px";
buildStrip();
const crawlW = crawl.offsetWidth;
const stripW = strip.scrollWidth / 2;
status.textContent = "updated " + hhmm(CLOCK_BASE_S);

let frames = 0;
let start = -1;
let shownCard = -1;
let front = 0;
let shownMinute = -1;

function tick(now) {
    frames++;
    if (start < 0) start = now;
    const t = now - start;
    const nowS = CLOCK_BASE_S + Math.floor(t / 1000);

    const off = Math.floor(t * SPEED_PX_S / 1000) % stripW;
    let x = crawlW - off;
    if (x > 0) x -= stripW;
    strip.style.transform = "translateX(" + x + "px)";

    const slot = Math.floor(t / DWELL_MS);
    if (slot !== shownCard) {
        shownCard = slot;
        const i = slot % STORIES.length;
        const back = cards[front];
        front ^= 1;
        fillCard(cards[front], STORIES[i], nowS);
        cards[front].classList.add("shown");
        back.classList.remove("shown");
        counter.textContent = (i + 1) + " / " + STORIES.length;
    }
    progress.style.transform = "scaleX(" + ((t % DWELL_MS) / DWELL_MS) + ")";

    const minute = Math.floor(nowS / 60);
    if (minute !== shownMinute) {
        shownMinute = minute;
        clock.textContent = hhmm(nowS);
    }
    if (frames % 10 === 0) document.title = "newswire-kiosk frames=" + frames;
    requestAnimationFrame(tick);
}
requestAnimationFrame(tick);
