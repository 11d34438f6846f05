/**
 * The part of undici that the CLI's HTTP client uses (src/api/transport.ts imports `Agent` and
 * `request`), for the CLI bundle (scripts/build-cli.mjs). undici's entry point loads all of
 * undici as it starts (fetch, WebSocket, caches, mocks and, through its cookies, Node's own copy
 * of undici): a megabyte of code to compile and run before a command reads a file. Everything
 * here is undici's own: its Agent, and its request API on the dispatcher, set up as the entry
 * point sets it up; request() takes the one form the client calls it in.
 */
'use strict';

const Dispatcher = require('undici/lib/dispatcher/dispatcher');

Object.assign(Dispatcher.prototype, require('undici/lib/api'));

exports.Agent = require('undici/lib/dispatcher/agent');

/** `request(url, options)` for an absolute URL and a dispatcher of the caller's, as undici's entry point does it. */
exports.request = function request(url, options) {
  if (typeof url !== 'string' || !options?.dispatcher || options.path != null) {
    throw new TypeError('the CLI bundle serves request(url, { dispatcher, ... }) only; see scripts/undici-request.cjs');
  }
  const { origin, pathname, search } = new URL(url);
  return options.dispatcher.request({ ...options, origin, path: `${pathname}${search}`, method: options.method || (options.body ? 'PUT' : 'GET') });
};
