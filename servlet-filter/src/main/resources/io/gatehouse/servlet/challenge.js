(function () {
  "use strict";
  // Proof of work: find a counter such that SHA-256(token ":" counter) starts with `difficulty` zero
  // bits. The blocks that hold only the token are hashed once; each try hashes the last block or two.
  var form = document.getElementById("gh-form");
  var token = form.elements.token.value;
  var difficulty = parseInt(form.getAttribute("data-difficulty"), 10);
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var W = new Int32Array(64);

  function compress(state, bytes, offset) {
    var i, t1, t2;
    for (i = 0; i < 16; i++) {
      var j = offset + 4 * i;
      W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (i = 16; i < 64; i++) {
      var x = W[i - 15], y = W[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = state[0], b = state[1], c = state[2], d = state[3];
    var e = state[4], f = state[5], g = state[6], h = state[7];
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var ch = (e & f) ^ (~e & g);
      t1 = (h + S1 + ch + K[i] + W[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var maj = (a & b) ^ (a & c) ^ (b & c);
      t2 = (S0 + maj) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    state[0] = (state[0] + a) | 0; state[1] = (state[1] + b) | 0;
    state[2] = (state[2] + c) | 0; state[3] = (state[3] + d) | 0;
    state[4] = (state[4] + e) | 0; state[5] = (state[5] + f) | 0;
    state[6] = (state[6] + g) | 0; state[7] = (state[7] + h) | 0;
  }

  var prefix = token + ":";
  var bytes = new Uint8Array(prefix.length);
  for (var p = 0; p < prefix.length; p++) {
    bytes[p] = prefix.charCodeAt(p) & 0x7f;
  }
  var fullBlocks = Math.floor(bytes.length / 64);
  var mid = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  for (var bl = 0; bl < fullBlocks; bl++) {
    compress(mid, bytes, 64 * bl);
  }
  var tailStart = 64 * fullBlocks;
  var tail = new Uint8Array(128);
  var state = new Int32Array(8);

  function firstWord(counter) {
    var digits = String(counter);
    var n = bytes.length - tailStart;
    tail.fill(0);
    tail.set(bytes.subarray(tailStart), 0);
    for (var k = 0; k < digits.length; k++) {
      tail[n++] = digits.charCodeAt(k);
    }
    var total = bytes.length + digits.length;
    tail[n] = 0x80;
    var blocks = n + 9 > 64 ? 2 : 1;
    var bits = total * 8;
    var end = 64 * blocks;
    tail[end - 4] = (bits >>> 24) & 0xff;
    tail[end - 3] = (bits >>> 16) & 0xff;
    tail[end - 2] = (bits >>> 8) & 0xff;
    tail[end - 1] = bits & 0xff;
    state.set(mid);
    compress(state, tail, 0);
    if (blocks === 2) {
      compress(state, tail, 64);
    }
    return state[0];
  }

  function solved(word) {
    return difficulty >= 32 ? word === 0 : (word >>> (32 - difficulty)) === 0;
  }

  var started = performance.now();
  var counter = 0;
  var status = document.getElementById("gh-status");
  function work() {
    var stop = counter + 25000;
    for (; counter < stop; counter++) {
      if (solved(firstWord(counter))) {
        form.elements.counter.value = String(counter);
        form.elements.ms.value = String(Math.round(performance.now() - started));
        status.textContent = "Verified. Taking you to the page\u2026";
        document.documentElement.setAttribute("data-solved", "1");
        form.submit();
        return;
      }
    }
    setTimeout(work, 0);
  }
  setTimeout(work, 0);
})();
