// Encrypt an .xlsx with a password (Agile encryption, as Excel does) using officecrypto-tool (dependency of @zurmokeeper/exceljs).
// usage: node gen/encrypt.cjs IN.xlsx OUT.xlsx PASSWORD
const fs = require('fs');
const oc = require('officecrypto-tool');
(async () => {
  const out = await oc.encrypt(fs.readFileSync(process.argv[2]), { password: process.argv[4] ?? 'secret' });
  fs.writeFileSync(process.argv[3], out);
  console.log('encrypted', out.length, 'bytes');
})();
