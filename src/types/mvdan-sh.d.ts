declare module 'mvdan-sh' {
  const sh: { syntax: unknown };
  export default sh;
}
