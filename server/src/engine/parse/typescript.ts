// The TypeScript compiler that ts-morph carries (@ts-morph/common's copy), loaded on its own:
// the facts need `createSourceFile` and the syntax tree only. Through `ts-morph`'s entry point
// the compiler comes with ts-morph's project API and the compiler's lib files as strings (over
// 15 MB of memory that parsing one file never uses).
export import ts = require('@ts-morph/common/dist/typescript');
