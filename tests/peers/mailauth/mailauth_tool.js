#!/usr/bin/env node
// mailauth (npm, pinned in package-lock.json beside this file) as a real ARC/DKIM peer for
// arcrelay's interop tests. DNS comes only from a cache made by
// tests/tools/zone_to_dns_cache.py, in the format of mailauth's own --dns-cache.
//
//   mailauth_tool.js arc-verify CACHE IN [--strict]
//       -> {"result": "pass|fail|none", "i": N, "comment": "..."}
//   mailauth_tool.js dkim-verify CACHE IN [--strict]
//       -> [{"result": "...", "algorithm": "...", "domain": "...", "comment": "..."}] in
//          the order of the DKIM-Signature fields
//   mailauth_tool.js arc-seal CACHE KEY.pem DOMAIN SELECTOR AUTHSERV_ID TIME IN OUT
//       -> {"validated": "pass|fail|none", "sealed": true|false, "errors": [...]}; OUT is
//          the new ARC set (if any) prepended to IN. The algorithm follows the key; TIME is
//          the seal's t= in seconds since the epoch.
//   mailauth_tool.js batch
//       -> the commands above, one JSON array of arguments a line on stdin (see batch below)
//
// authenticate() is the path a mail server using mailauth takes: validate the chain, then
// seal with cv= from that result (mailauth seals a failed chain whose newest cv= is none or
// pass with cv=fail, RFC 8617 5.1.2). DMARC and BIMI are off: only DKIM and ARC are judged.
'use strict';

const fs = require('node:fs');
const { authenticate, dkimVerify } = require('mailauth');

const CLIENT = { ip: '192.0.2.10', helo: 'mail.example.com', sender: 'alice@example.com' };

function cacheResolver(path) {
    const cache = JSON.parse(fs.readFileSync(path, 'utf-8'));
    return async (name, rr) => {
        const answer = cache[name.toLowerCase().replace(/\.$/, '')]?.[rr];
        if (!answer) {
            const err = new Error(`no ${rr} for ${name} in ${path}`);
            err.code = 'ENOTFOUND';
            throw err;
        }
        return answer;
    };
}

function check(opts, resolver, message, strict) {
    const only = { disableDmarc: true, disableBimi: true };
    return authenticate(message, { ...CLIENT, ...opts, ...only, resolver, strict });
}

async function arcVerify([cachePath, input, flag]) {
    const message = fs.readFileSync(input);
    const { arc } = await check({}, cacheResolver(cachePath), message, flag === '--strict');
    return { result: arc.status.result, i: arc.i || 0, comment: arc.status.comment || '' };
}

async function dkimVerifyCmd([cachePath, input, flag]) {
    const opts = { resolver: cacheResolver(cachePath), strict: flag === '--strict' };
    const result = await dkimVerify(fs.readFileSync(input), opts);
    return result.results
        .filter(r => r.status.result !== 'none') // a message without DKIM-Signature
        .map(r => ({
            result: r.status.result,
            algorithm: r.algo,
            domain: r.signingDomain,
            comment: r.status.comment || ''
        }));
}

async function arcSeal([cachePath, keyPath, domain, selector, authservId, time, input, output]) {
    const message = fs.readFileSync(input);
    const seal = {
        signingDomain: domain,
        selector,
        privateKey: fs.readFileSync(keyPath, 'utf-8'),
        signTime: new Date(Number(time) * 1000)
    };
    const result = await check({ mta: authservId, seal }, cacheResolver(cachePath), message, false);
    // result.headers also holds mailauth's own Received-SPF and Authentication-Results: keep
    // only the new ARC set, each field with its folded continuation lines
    const fields = result.headers.split(/\r\n(?![ \t])/).filter(field => /^arc-/i.test(field));
    const sealed = fields.some(field => /^arc-seal:/i.test(field));
    const set = Buffer.from(fields.map(field => field + '\r\n').join(''));
    fs.writeFileSync(output, Buffer.concat([set, message]));
    const errors = (result.arc.sealErrors || []).map(e => String(e.err?.message || e.err));
    return { validated: result.arc.status.result, sealed, errors };
}

const COMMANDS = { 'arc-verify': arcVerify, 'dkim-verify': dkimVerifyCmd, 'arc-seal': arcSeal };

const runCommand = async argv => {
    const command = COMMANDS[argv[0]];
    if (!command) {
        const known = [...Object.keys(COMMANDS), 'batch'].join('|');
        throw new Error(`unknown command ${JSON.stringify(argv[0])} (${known})`);
    }
    return command(argv.slice(1));
};

// batch: one JSON array of arguments per line on stdin, one line {"ok": ...} or
// {"error": "..."} per command on stdout, in order; ends at end of input. The tests use it to
// start node (and load mailauth) once instead of once per message.
const batch = async () => {
    const lines = require('node:readline').createInterface({ input: process.stdin });
    for await (const line of lines) {
        let reply;
        try {
            reply = { ok: await runCommand(JSON.parse(line)) };
        } catch (err) {
            reply = { error: String(err.stack || err) };
        }
        process.stdout.write(JSON.stringify(reply) + '\n');
    }
};

(process.argv[2] === 'batch' ? batch() : runCommand(process.argv.slice(2))).then(
    out => out !== undefined && process.stdout.write(JSON.stringify(out) + '\n'),
    err => {
        console.error(`mailauth_tool: ${err.stack || err}`);
        process.exit(1);
    }
);
