/** What one signed POST came back with. */
export interface PostResult {
  /** HTTP status; `0` when no response arrived (refused, reset, timed out). */
  status: number
  /** hookguard's error code, `ok` or `duplicate` from a hookguard receiver; `-` from another body; `network_error` / `timeout`. */
  code: string
  /** Milliseconds from sending the request to the end of the response body. */
  latencyMs: number
  /** True when the receiver said this delivery was already handled (`{"ok":true,"duplicate":true}`). */
  duplicate: boolean
  /** The response body (first 2 KiB). */
  body: string
  /** Why no response arrived. */
  error?: string
}

function codeOf(status: number, text: string): { code: string; duplicate: boolean } {
  try {
    const json = JSON.parse(text) as { ok?: unknown; duplicate?: unknown; error?: { code?: unknown } }
    if (typeof json?.error?.code === 'string') return { code: json.error.code, duplicate: json.error.code === 'duplicate' }
    if (json?.duplicate === true) return { code: 'duplicate', duplicate: true }
    if (json?.ok === true) return { code: 'ok', duplicate: false }
  } catch {
    // Not a hookguard receiver (or not JSON): the status alone has to speak.
  }
  return { code: status >= 200 && status < 300 ? 'ok' : '-', duplicate: false }
}

/** Sends one POST with `fetch` and times it, body included. Never throws for a network failure. */
export async function post(url: string, headers: Record<string, string>, body: Uint8Array, timeoutMs: number): Promise<PostResult> {
  const started = performance.now()
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: body as Uint8Array<ArrayBuffer>,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    })
    const text = await response.text()
    const latencyMs = performance.now() - started
    return { status: response.status, latencyMs, body: text.slice(0, 2048), ...codeOf(response.status, text) }
  } catch (error) {
    const latencyMs = performance.now() - started
    const timedOut = (error as Error).name === 'TimeoutError'
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message)
    return { status: 0, code: timedOut ? 'timeout' : 'network_error', latencyMs, duplicate: false, body: '', error: reason }
  }
}
