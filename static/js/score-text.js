/* 得分的写法: the one rule for what a typed score means, used by the running total and by the local
   draft — and the same rule as the server's (scoring.scores.parse_score; a test feeds the same
   texts to both). Full-width digits and points are accepted: "９.５", "9。5" and "9．5" are 9.5.
   Served as a static file (no inline script). */
(function () {
  "use strict";

  var SPACE = /^[ \t\n\r\f\v\u00a0\u3000]+|[ \t\n\r\f\v\u00a0\u3000]+$/g;
  var NUMBER = /^([+-]?)(?:([0-9]{1,6})(?:\.([0-9]*))?|\.([0-9]+))$/;

  function halfWidth(text) {
    return text
      .replace(/[\uff10-\uff19]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(/[\u3002\uff0e]/g, ".");
  }

  // A decimal text as [integer digits, fraction digits], or null.
  function pieces(text) {
    var match = NUMBER.exec(halfWidth(String(text)).replace(SPACE, ""));
    if (!match) {
      return null;
    }
    return match[2] !== undefined ? [match[1], match[2], match[3] || ""] : [match[1], "0", match[4]];
  }

  // {empty: true} | {tenths: n} | {error: "invalid" | "negative" | "max" | "places"}: the server's
  // checks (score_error), in its order. `maxText` is the indicator's maximum ("12", "12.0", "2.25").
  function parse(text, maxText) {
    if (halfWidth(String(text)).replace(SPACE, "") === "") {
      return { empty: true };
    }
    var p = pieces(text);
    if (!p) {
      return { error: "invalid" };
    }
    var sign = p[0];
    var whole = parseInt(p[1], 10);
    var fraction = p[2];
    var zero = whole === 0 && !/[1-9]/.test(fraction);
    if (sign === "-" && !zero) {
      return { error: "negative" };
    }
    var m = maxText === undefined || maxText === null ? null : pieces(maxText);
    if (m) {
      // Compare exactly, both scaled to the longer fraction (strings: no floating point).
      var places = Math.max(fraction.length, m[2].length);
      var mine = (p[1] + fraction.padEnd(places, "0")).replace(/^0+(?=\d)/, "");
      var most = (m[1] + m[2].padEnd(places, "0")).replace(/^0+(?=\d)/, "");
      if (mine.length > most.length || (mine.length === most.length && mine > most)) {
        return { error: "max" };
      }
    }
    if (/[1-9]/.test(fraction.slice(1))) {
      return { error: "places" };
    }
    return { tenths: whole * 10 + (fraction ? parseInt(fraction.charAt(0), 10) : 0) };
  }

  window.ScoreText = { parse: parse };
})();
