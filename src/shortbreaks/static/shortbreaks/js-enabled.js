// Loaded as a plain script at the top of <body>: marks the page as having JavaScript before it
// paints (GOV.UK Frontend's styles key off these classes). Kept out of the page itself so the
// Content Security Policy can forbid inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
