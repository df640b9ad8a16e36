// Minimal plain JS: progress polling, drag-and-drop, copy buttons. Pages work without it.
(function () {
  "use strict";
  function poll() {
    var body = document.body, url = body.getAttribute("data-status-url");
    if (!url || body.getAttribute("data-job") !== "running") return;
    var timer = setInterval(function () {
      fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
        var text = document.getElementById("job-text"), bar = document.getElementById("job-bar");
        if (s.running) {
          if (text) text.textContent = "正在计算：" + s.phase + (s.total ? " " + s.done + "/" + s.total : "");
          if (bar) { bar.max = s.total || 1; bar.value = s.done; }
          return;
        }
        clearInterval(timer);
        if (body.getAttribute("data-reload") === "no") {
          // a page answering a POST (upload results): keep it, say the run is done
          var job = document.getElementById("job");
          body.setAttribute("data-job", s.error ? "failed" : "idle");
          body.setAttribute("data-runs", s.runs);
          if (job) {
            job.className = "job " + (s.error ? "failed" : "idle");
            job.textContent = s.error ? "计算未完成：" + s.error : "计算完成。";
            if (!s.error) { var a = document.createElement("a"); a.href = body.getAttribute("data-home") || "/"; a.textContent = "查看总览 →"; job.appendChild(a); }
          }
          return;
        }
        window.location.replace(window.location.pathname + window.location.search);
      }).catch(function () {});
    }, 400);
  }
  function dropzone() {
    var zone = document.getElementById("dropzone"), input = document.getElementById("files"), chosen = document.getElementById("chosen");
    if (!zone || !input) return;
    function show() {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      chosen.textContent = names.length ? "已选择" + names.length + "个文件：" + names.slice(0, 8).join("、") + (names.length > 8 ? "等" : "") : "尚未选择文件";
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); }); });
    ["dragleave", "drop"].forEach(function (t) { zone.addEventListener(t, function () { zone.classList.remove("over"); }); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); input.dispatchEvent(new Event("change")); }
    });
  }
  function sizeCheck() {
    // each file's size is checked before anything is sent; the server's 413 names the file too
    var form = document.querySelector("form[data-limit]"), input = document.getElementById("files"), out = document.getElementById("size-error");
    if (!form || !input || !out) return;
    var limit = parseInt(form.getAttribute("data-limit"), 10), mb = form.getAttribute("data-limit-mb");
    var total = parseInt(form.getAttribute("data-total") || "0", 10), totalMb = form.getAttribute("data-total-mb");
    function check() {
      var big = Array.prototype.filter.call(input.files, function (f) { return f.size > limit; }).map(function (f) { return f.name; });
      var sum = Array.prototype.reduce.call(input.files, function (n, f) { return n + f.size; }, 0);
      var text = big.length ? "「" + big.join("」「") + "」超过每个文件" + mb + "MB的上限，请删除其中多余的图片或工作表后另存，再重新选择。" : "";
      if (!text && total && sum > total) text = "所选" + input.files.length + "个文件合计" + Math.ceil(sum / 1048576) + "MB，超过每次上传" + totalMb + "MB的上限，请分几次上传。";
      out.hidden = !text;
      out.textContent = text;
      return !text;
    }
    input.addEventListener("change", check);
    form.addEventListener("submit", function (e) { if (!check()) { e.preventDefault(); e.stopImmediatePropagation(); } }, true);
  }
  function copyButtons() {
    document.querySelectorAll("button.copy").forEach(function (b) {
      b.addEventListener("click", function () {
        var el = document.getElementById(b.getAttribute("data-copy"));
        if (!el) return;
        el.select();
        var done = function () { var t = b.textContent; b.textContent = "已复制"; setTimeout(function () { b.textContent = t; }, 1500); };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(el.value).then(done, function () { document.execCommand("copy"); done(); });
        else { document.execCommand("copy"); done(); }
      });
    });
  }
  function busyButtons() {
    document.querySelectorAll("form").forEach(function (f) {
      f.addEventListener("submit", function () {
        var b = f.querySelector("button[type=submit]");
        if (b) { b.disabled = true; b.textContent = b.getAttribute("data-busy") || "正在处理，请稍候…"; }
      });
    });
  }
  function backLinks() {
    document.querySelectorAll("a[data-back]").forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); history.back(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { poll(); dropzone(); sizeCheck(); copyButtons(); busyButtons(); backLinks(); });
})();
