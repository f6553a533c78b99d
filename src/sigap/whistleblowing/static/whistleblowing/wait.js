// The follow-up form's wait (docs/security.md point 4). After many wrong receipts for one
// report, the server asks each attempt to wait a while or to bring a proof of work: a number
// such that SHA-256(ticket ":" number) starts with the given count of zero bits. This script
// looks for that number and shows the time left; whichever is done first sends the form.
// Without JavaScript (or without WebCrypto, outside HTTPS) the form still works by waiting.
(function () {
  "use strict";
  var form = document.querySelector("form[data-wait-seconds]");
  if (!form) { return; }
  var ticket = form.querySelector("input[name=ticket]");
  var proof = form.querySelector("input[name=proof]");
  var message = document.querySelector("[data-wait-message]");
  var left = parseInt(form.getAttribute("data-wait-seconds"), 10) || 0;
  var bits = parseInt(form.getAttribute("data-pow-bits"), 10) || 0;
  var sent = false;

  function send() {
    if (sent) { return; }
    sent = true;
    form.submit();
  }

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { count += 1; b <<= 1; }
      return count;
    }
    return count;
  }

  var timer = window.setInterval(function () {
    left -= 1;
    if (message && left > 0) {
      message.setAttribute("data-seconds-left", String(left));
    }
    if (left <= 0) {
      window.clearInterval(timer);
      send();
    }
  }, 1000);

  if (!bits || !ticket || !proof || !window.crypto || !window.crypto.subtle) { return; }
  var encoder = new TextEncoder();
  var n = 0;
  function batch() {
    if (sent) { return; }
    var tries = [];
    for (var i = 0; i < 256; i++, n++) {
      tries.push(
        (function (candidate) {
          return window.crypto.subtle
            .digest("SHA-256", encoder.encode(ticket.value + ":" + candidate))
            .then(function (hash) {
              return zeroBits(new Uint8Array(hash)) >= bits ? candidate : null;
            });
        })(n)
      );
    }
    Promise.all(tries).then(function (found) {
      for (var j = 0; j < found.length; j++) {
        if (found[j] !== null) {
          proof.value = String(found[j]);
          send();
          return;
        }
      }
      window.setTimeout(batch, 0);
    });
  }
  batch();
})();
