// The browser words its own form checks (a required field, a date's pattern, a password's
// length) in its locale, so an English Chromium says "Please fill out this field." on a
// Vietnamese console (issue 14 §1). This gives each check its Vietnamese sentence; the
// server still checks every field and answers on the form.
"use strict";

function vietnameseValidity(field) {
  const v = field.validity;
  if (v.valueMissing) {
    if (field.type === "checkbox") return "Vui lòng đánh dấu ô này.";
    if (field.tagName === "SELECT" || field.type === "radio") return "Vui lòng chọn một mục.";
    if (field.type === "file") return "Vui lòng chọn một tệp.";
    return "Vui lòng điền ô này.";
  }
  if (v.tooShort) return `Vui lòng nhập ít nhất ${field.minLength} ký tự (hiện có ${field.value.length}).`;
  if (v.tooLong) return `Vui lòng nhập không quá ${field.maxLength} ký tự.`;
  if (v.patternMismatch) return field.title ? `Không đúng dạng. ${field.title}.` : "Không đúng dạng yêu cầu.";
  if (v.typeMismatch) return "Giá trị không đúng dạng yêu cầu.";
  if (v.badInput) return "Vui lòng nhập một số.";
  if (v.rangeUnderflow) return `Giá trị phải từ ${field.min} trở lên.`;
  if (v.rangeOverflow) return `Giá trị không được lớn hơn ${field.max}.`;
  if (v.stepMismatch) return "Giá trị không hợp lệ.";
  return "";
}

document.addEventListener("invalid", (event) => {
  const field = event.target;
  field.setCustomValidity("");
  field.setCustomValidity(vietnameseValidity(field));
}, true);

// A corrected field is checked afresh: the sentence set above would otherwise keep it invalid.
for (const kind of ["input", "change"]) {
  document.addEventListener(kind, (event) => {
    if (event.target.setCustomValidity) event.target.setCustomValidity("");
  }, true);
}
