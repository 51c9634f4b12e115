// The Express 4 alias is typed with Express 5's types: the tests use only the API both share.
declare module 'express4' {
  import express from 'express'
  export default express
}
