// The Fastify 4 alias is typed with Fastify 5's types: the tests use only the API both share.
declare module 'fastify4' {
  import fastify from 'fastify'
  export default fastify
}
