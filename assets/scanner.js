// The door's scanner (the console's only script). It keeps the count in step with the other
// phones, and on the scanner page reads QR codes from the rear camera: the browser's
// BarcodeDetector where it reads QR codes, else the vendored jsQR. A code is checked in by
// posting the page's own code form (its CSRF field; the browser adds Origin), and the answer,
// the person's result page, is then shown. Without this script the forms work the same.
(function () {
  "use strict";

  var door = document.getElementById("door");
  if (!door) {
    return;
  }

  var COUNT_EVERY_MS = 3000;
  var SCAN_EVERY_MS = 150;

  function refreshCount() {
    fetch(door.dataset.countUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (count) {
        if (count) {
          document.getElementById("door-checked").textContent = count.checked_in;
          document.getElementById("door-confirmed").textContent = count.confirmed;
        }
      })
      .catch(function () {
        // The next poll tries again; the page still shows the last count.
      });
  }
  window.setInterval(refreshCount, COUNT_EVERY_MS);

  var scanner = document.getElementById("door-scanner");
  var form = document.getElementById("door-code-form");
  var media = navigator.mediaDevices;
  if (!scanner || !form || !media || !media.getUserMedia) {
    return;
  }
  var video = document.getElementById("door-video");
  var status = document.getElementById("door-scan-status");
  var startButton = document.getElementById("door-camera");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var busy = false;
  scanner.hidden = false;

  // The QR code holds the check-in URL; its `code` parameter is the code. A bare code (a
  // hand-made QR code) is taken as it is; the server normalises and checks it.
  function codeOf(text) {
    try {
      var code = new URL(text).searchParams.get("code");
      if (code) {
        return code;
      }
    } catch (notAUrl) {
      // A bare code.
    }
    return text.trim();
  }

  function stopCamera() {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
      stream = null;
    }
  }

  function checkIn(text) {
    var code = codeOf(text);
    if (!code) {
      return;
    }
    busy = true;
    status.textContent = scanner.dataset.checking;
    var body = new URLSearchParams(new FormData(form));
    body.set("code", code);
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || !response.redirected) {
          throw new Error("check-in answered " + response.status);
        }
        stopCamera();
        // A fetch's final URL has lost the redirect's fragment: scroll to the result again.
        window.location.assign(response.url.split("#")[0] + "#door-result");
      })
      .catch(function () {
        status.textContent = scanner.dataset.failed;
        busy = false;
      });
  }

  // A reader: a function from the video's current frame to a promise of the text of a QR
  // code in it, or null.
  function nativeReader() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function () {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    };
  }

  function jsqrReader() {
    return function () {
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert",
      });
      return Promise.resolve(found ? found.data : null);
    };
  }

  function loadJsqr() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = door.dataset.jsqr;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function reader() {
    if (!("BarcodeDetector" in window)) {
      return loadJsqr().then(jsqrReader);
    }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? nativeReader() : loadJsqr().then(jsqrReader);
    });
  }

  function scan(read) {
    if (!stream) {
      return;
    }
    var next = function () {
      window.setTimeout(function () {
        scan(read);
      }, SCAN_EVERY_MS);
    };
    if (busy || video.readyState < 2 || !video.videoWidth) {
      next();
      return;
    }
    read()
      .then(function (text) {
        if (text) {
          checkIn(text);
        }
      })
      .catch(function () {
        // A frame that could not be read; the next one may.
      })
      .then(next);
  }

  function startCamera() {
    startButton.hidden = true;
    status.textContent = "";
    Promise.all([
      media.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false }),
      reader(),
    ])
      .then(function (ready) {
        stream = ready[0];
        video.srcObject = stream;
        return video.play().then(function () {
          scan(ready[1]);
        });
      })
      .catch(function () {
        stopCamera();
        status.textContent = scanner.dataset.denied;
        startButton.hidden = false;
      });
  }

  startButton.addEventListener("click", startCamera);
  // Back from a result, the page may come from the back-forward cache with the camera off.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      busy = false;
      startCamera();
    }
  });
  window.addEventListener("pagehide", stopCamera);
  startCamera();
})();
