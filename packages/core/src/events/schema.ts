import { WebhookError } from '../errors'

/**
 * The Standard Schema interface (https://standardschema.dev), copied as the spec recommends so
 * core needs no dependency: zod, valibot, arktype and others implement it.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1.Props<Input, Output>
}

export declare namespace StandardSchemaV1 {
  export interface Props<Input = unknown, Output = Input> {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>
    readonly types?: Types<Input, Output> | undefined
  }
  export type Result<Output> = SuccessResult<Output> | FailureResult
  export interface SuccessResult<Output> {
    readonly value: Output
    readonly issues?: undefined
  }
  export interface FailureResult {
    readonly issues: ReadonlyArray<Issue>
  }
  export interface Issue {
    readonly message: string
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined
  }
  export interface PathSegment {
    readonly key: PropertyKey
  }
  export interface Types<Input = unknown, Output = Input> {
    readonly input: Input
    readonly output: Output
  }
  export type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema['~standard']['types']>['output']
}

function pathOf(issue: StandardSchemaV1.Issue): string {
  if (!issue.path || issue.path.length === 0) return '(root)'
  return issue.path.map((seg) => String(typeof seg === 'object' && seg !== null ? seg.key : seg)).join('.')
}

/** Validates a payload; failure is `invalid_payload` (422) naming the paths, never the values. */
export async function validatePayload(schema: StandardSchemaV1, type: string, payload: unknown): Promise<unknown> {
  let result = schema['~standard'].validate(payload)
  if (result instanceof Promise) result = await result
  if (!result.issues) return result.value
  const paths = [...new Set(result.issues.map(pathOf))]
  throw new WebhookError(
    'invalid_payload',
    `@hookguard/core: the ${type} payload does not match its schema at ${paths.slice(0, 10).join(', ')}`,
    { details: { paths, issues: result.issues.map((i) => ({ path: pathOf(i), message: i.message })) } },
  )
}
