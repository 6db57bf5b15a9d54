import type { FastifyInstance } from 'fastify';

/**
 * Lets a plugin scope accept plain HTML form posts (urlencoded) as a flat
 * string record, for the public link pages that work without JavaScript.
 * Scoped, so the JSON API never parses forms.
 */
export function acceptFormBodies(scope: FastifyInstance, bodyLimit = 16 * 1024): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
}
