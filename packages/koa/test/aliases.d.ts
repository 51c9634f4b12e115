// The Koa 2 alias is typed with Koa 3's types: the tests use only the API both share.
declare module 'koa2' {
  import Koa from 'koa'
  export default Koa
}
