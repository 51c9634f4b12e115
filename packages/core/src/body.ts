import { concatBytes, EMPTY, utf8 } from './encoding'
import { WebhookError } from './errors'

/** The exact raw bytes of a request body. */
export type RawBody = string | Uint8Array | ArrayBuffer | ArrayBufferView

/** @internal */
export function rawBodyUnavailable(found: string): WebhookError {
  return new WebhookError(
    'raw_body_unavailable',
    `@hookguard/core: the request body was already parsed (${found}), so its exact bytes are gone and no signature can match. ` +
      'Pass the raw request bytes: mount hookguard before any JSON body parser, or keep the raw body (never JSON.stringify a parsed body).',
  )
}

/** Exact bytes from any supported raw body; a parsed object is `raw_body_unavailable`. */
export function toBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body
  if (typeof body === 'string') return utf8(body)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  if (body === undefined || body === null) return EMPTY
  throw rawBodyUnavailable(`got ${Array.isArray(body) ? 'an array' : `a ${typeof body}`}`)
}

/** A body as adapters find it: bytes, a Node readable, or a WHATWG ReadableStream (optionally with a hint). */
export type BodySource =
  | RawBody
  | NodeReadableLike
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | HintedBodySource
  | null
  | undefined

/** A body source that carries an adapter's fix for `raw_body_unavailable`; made by {@link withRawBodyHint}. */
export interface HintedBodySource {
  readonly source: BodySource
  /** Appended to core's `raw_body_unavailable` message. */
  readonly rawBodyHint: string
}

// A registry symbol, so a hinted source made by another installed copy of core is still recognised.
const HINTED = Symbol.for('hookguard.HintedBodySource')

/**
 * Wraps an adapter's body source so that, when it turns out to be unusable (a stream a body parser
 * already drained, a parsed object), core's `raw_body_unavailable` message ends with the fix for
 * that framework. Core still does the detecting; the adapter only names its own remedy.
 * @example body: withRawBodyHint(req, 'Express: mount the webhook route before app.use(express.json()).')
 */
export function withRawBodyHint(source: BodySource, hint: string): HintedBodySource {
  return { [HINTED]: true, source, rawBodyHint: hint } as HintedBodySource
}

function isHinted(source: unknown): source is HintedBodySource {
  return (source as { [HINTED]?: unknown } | null | undefined)?.[HINTED] === true
}

/** The part of Node's `Readable` that {@link readBody} relies on. */
export interface NodeReadableLike {
  on(event: string, listener: (...args: any[]) => void): unknown
  removeListener(event: string, listener: (...args: any[]) => void): unknown
  pause(): unknown
  resume(): unknown
  readableEnded?: boolean
  readableDidRead?: boolean
  destroyed?: boolean
  complete?: boolean
}

/** Options for {@link readBody}. */
export interface ReadBodyOptions {
  /** Stop reading (and answer 413) past this many bytes. @default 1_048_576 */
  maxBodyBytes?: number
  /** The request's Content-Length header, checked before reading a byte. */
  contentLength?: string | null | undefined
}

export function tooLarge(limit: number, received?: number): WebhookError {
  return new WebhookError('body_too_large', `@hookguard/core: the body is larger than maxBodyBytes (${limit} bytes)`, {
    details: { limit, received },
  })
}

function isNodeReadable(source: unknown): source is NodeReadableLike {
  return typeof (source as NodeReadableLike)?.on === 'function' && typeof (source as NodeReadableLike).pause === 'function'
}

function isWebStream(source: unknown): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream)?.getReader === 'function'
}

const ignore = () => {}

function readNode(stream: NodeReadableLike, limit: number): Promise<Uint8Array> {
  // A stream someone else already read (a body parser) would never emit 'end' again: fail fast
  // instead of hanging (the bug behind octokit/webhooks.js#1081).
  if (stream.readableEnded || stream.readableDidRead || stream.destroyed) {
    return Promise.reject(rawBodyUnavailable('the request stream was already read'))
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let total = 0
    const cleanup = () => {
      stream.removeListener('data', onData)
      stream.removeListener('end', onEnd)
      stream.removeListener('error', onError)
      stream.removeListener('close', onClose)
      stream.removeListener('aborted', onAborted)
      // We stop listening, but the stream may still fail later (the sender resets the connection
      // we are about to close): an 'error' with no listener would crash the process.
      stream.on('error', ignore)
    }
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? utf8(chunk) : chunk
      total += bytes.byteLength
      if (total > limit) {
        cleanup()
        // Stop pulling bytes; the adapter answers 413 and closes the connection, so memory stays flat.
        stream.pause()
        reject(tooLarge(limit, total))
        return
      }
      chunks.push(bytes)
    }
    const onEnd = () => {
      cleanup()
      resolve(concatBytes(chunks))
    }
    const onError = (error: unknown) => {
      cleanup()
      reject(new WebhookError('request_aborted', '@hookguard/core: the request body could not be read', { cause: error }))
    }
    const onAborted = () => {
      cleanup()
      reject(new WebhookError('request_aborted', '@hookguard/core: the sender aborted the request before the body was complete'))
    }
    const onClose = () => {
      // 'close' before 'end' means the connection went away mid-body.
      if (!stream.readableEnded) onAborted()
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    stream.on('close', onClose)
    stream.on('aborted', onAborted)
    stream.resume()
  })
}

async function readWeb(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  if (stream.locked) throw rawBodyUnavailable('the request stream was already read')
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > limit) {
        reader.cancel().catch(() => {})
        throw tooLarge(limit, total)
      }
      chunks.push(value)
    }
  } catch (error) {
    if (WebhookError.is(error)) throw error
    throw new WebhookError('request_aborted', '@hookguard/core: the request body could not be read', { cause: error })
  } finally {
    reader.releaseLock()
  }
  return concatBytes(chunks)
}

async function readIterable(iterable: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of iterable) {
    const bytes = typeof chunk === 'string' ? utf8(chunk) : chunk
    total += bytes.byteLength
    if (total > limit) throw tooLarge(limit, total)
    chunks.push(bytes)
  }
  return concatBytes(chunks)
}

/**
 * Reads a body up to `maxBodyBytes` and no further: a declared Content-Length over the limit is
 * refused before reading; a stream that grows past it is stopped at the limit. For adapters.
 */
export async function readBody(source: BodySource, options: ReadBodyOptions = {}): Promise<Uint8Array> {
  if (isHinted(source)) {
    try {
      return await readBody(source.source, options)
    } catch (error) {
      if (!WebhookError.is(error) || error.code !== 'raw_body_unavailable') throw error
      throw new WebhookError('raw_body_unavailable', `${error.message} ${source.rawBodyHint}`, { cause: error })
    }
  }
  const limit = options.maxBodyBytes ?? 1_048_576
  const declared = options.contentLength
  if (declared != null && declared !== '') {
    if (!/^[0-9]+$/.test(declared)) throw new WebhookError('malformed_header', '@hookguard/core: the Content-Length header is not a number')
    if (Number(declared) > limit) throw tooLarge(limit, Number(declared))
  }
  let bytes: Uint8Array
  if (isNodeReadable(source)) bytes = await readNode(source, limit)
  else if (isWebStream(source)) bytes = await readWeb(source, limit)
  else if (source != null && typeof (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    bytes = await readIterable(source as AsyncIterable<Uint8Array>, limit)
  } else bytes = toBytes(source)
  if (bytes.byteLength > limit) throw tooLarge(limit, bytes.byteLength)
  return bytes
}
