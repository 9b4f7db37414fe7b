import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookie } from '../../platform/auth/sessions.ts';

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, expires: Date) {
  reply.setCookie(sessionCookie, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    expires,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(sessionCookie, { path: '/' });
}
