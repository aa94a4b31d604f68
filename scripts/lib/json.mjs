// Prints one field of the JSON on standard input: node json.mjs result.latestPassed.period
// (objects and arrays as JSON, a missing field as an empty line).
let text = "";
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  let value = text.trim() === "" ? null : JSON.parse(text);
  for (const key of (process.argv[2] ?? "").split(".").filter(Boolean)) value = value?.[key];
  if (value === undefined || value === null) console.log("");
  else console.log(typeof value === "object" ? JSON.stringify(value) : String(value));
});
