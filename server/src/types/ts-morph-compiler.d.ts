// The TypeScript compiler that ts-morph carries, as its own module (see engine/parse/typescript.ts).
declare module '@ts-morph/common/dist/typescript' {
  import { ts } from '@ts-morph/common/lib/typescript';
  export = ts;
}
