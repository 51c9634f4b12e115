// A local typedoc plugin: modules are named after their package (`@hookguard/core`), not their
// path (`core/src`), so the reference reads the way users import it.
import { Converter, ReflectionKind } from 'typedoc'

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (_context, reflection) => {
    if (reflection.kindOf(ReflectionKind.Module)) reflection.name = `@hookguard/${reflection.name.replace(/\/src(\/index)?$/, '')}`
  })
}
