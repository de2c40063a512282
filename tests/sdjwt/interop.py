#!/usr/bin/env python3
"""Drives the reference SD-JWT implementation for palmgov's interop tests
(core/credentials/tests/interop.rs).

The reference implementation is PyPI `sd-jwt` (openwallet-foundation-labs/
sd-jwt-python), pinned to 0.10.4, the version pip installs here. Set it up
from the repository root with:

    python3 -m venv target/sdjwt-venv
    target/sdjwt-venv/bin/pip install sd-jwt==0.10.4

and run the tests with:

    PALMGOV_SDJWT_PYTHON=target/sdjwt-venv/bin/python \\
        cargo test -p palmgov-credentials --test interop

Usage: interop.py COMMAND, with a JSON object on stdin; prints one JSON
object on stdout. On an error it prints {"error": "..."} and exits 1.

  version   {} -> {"version": "0.10.4"}

  issue     {"claims": {...}, "sd": ["/given_name", "/address/locality", ...]}
            or {"claims_yaml": "...!sd tags..."} (the library's YAML form),
            with "issuer_jwk" (private JWK), optional "holder_jwk" (private
            JWK: its public part goes to cnf.jwk, the whole signs a KB-JWT),
            optional "typ" (default: the library's "example+sd-jwt"),
            "decoys" (bool), "disclose" (JSON pointers), "aud", "nonce"
            -> {"sd_jwt": <as issued>, "presentation": <disclosing "disclose",
                with a KB-JWT when aud, nonce and holder_jwk are given>}

  present   {"sd_jwt", "issuer_jwk" (public, to read the claims' shape),
             "holder_jwk" (private), "disclose", "aud", "nonce"}
            -> {"presentation": ...}

  verify    {"presentation", "issuer_jwk" (public), optional "aud" and
             "nonce" (both or neither: key binding required then)}
            -> {"claims": <the library's verified payload>}

JSON pointers (RFC 6901) name claims as palmgov does; array positions are
those of the issuer-signed array. They are turned into the library's own
forms: SDObj wrappers for issuing, and the nested dict/list of booleans its
holder takes for disclosing.
"""

import io
import json
import sys
from importlib.metadata import version

from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.utils.yaml_specification import _yaml_load_specification, remove_sdobj_wrappers
from sd_jwt.verifier import SDJWTVerifier


def tokens(pointer):
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def resolve(claims, pointer):
    """The path of a pointer: str keys and int positions."""
    path, here = [], claims
    for token in tokens(pointer):
        if isinstance(here, list):
            index = int(token)
            here = here[index]
            path.append(index)
        else:
            here = here[token]
            path.append(token)
    return path


def mark_disclosable(claims, pointers):
    """Wraps the named members' keys and array elements in SDObj, innermost
    first so that the outer claims' values hold the inner digests."""
    paths = sorted((resolve(claims, p) for p in pointers), key=len, reverse=True)
    for path in paths:
        parent = claims
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if isinstance(parent, list):
            parent[last] = SDObj(parent[last])
        else:
            parent[SDObj(last)] = parent.pop(last)
    return claims


def disclosure_structure(claims, pointers):
    """The holder's selection form: {"address": {"locality": True}},
    {"nationalities": [None, True]}. A pointer discloses what leads to it."""
    root = {}
    for pointer in pointers:
        path = resolve(claims, pointer)
        node, here = root, claims
        for i, step in enumerate(path):
            here = here[step]
            last = i == len(path) - 1
            if isinstance(node, list):
                node.extend([None] * (step + 1 - len(node)))
            current = node[step] if isinstance(node, list) else node.get(step)
            if last:
                wanted = current if isinstance(current, (dict, list)) else True
            elif isinstance(current, (dict, list)):
                wanted = current
            else:
                wanted = {} if isinstance(here, dict) else []
            node[step] = wanted
            node = wanted
    return root


def jwk(value):
    return JWK.from_json(json.dumps(value))


def full_claims(sd_jwt, issuer_jwk):
    return SDJWTVerifier(sd_jwt, lambda iss, header: issuer_jwk).get_verified_payload()


def presentation_of(sd_jwt, claims, request):
    holder = SDJWTHolder(sd_jwt)
    holder_key = jwk(request["holder_jwk"]) if request.get("holder_jwk") else None
    holder.create_presentation(
        disclosure_structure(claims, request.get("disclose", [])),
        nonce=request.get("nonce"),
        aud=request.get("aud"),
        holder_key=holder_key,
    )
    return holder.sd_jwt_presentation


def issue(request):
    if "claims_yaml" in request:
        claims = _yaml_load_specification(io.StringIO(request["claims_yaml"]))
        plain = remove_sdobj_wrappers(claims)
    else:
        plain = request["claims"]
        claims = mark_disclosable(json.loads(json.dumps(plain)), request.get("sd", []))
    holder_key = jwk(request["holder_jwk"]) if request.get("holder_jwk") else None
    extra = {"typ": request["typ"]} if request.get("typ") else {}
    issuer = SDJWTIssuer(
        claims,
        jwk(request["issuer_jwk"]),
        holder_key=holder_key,
        add_decoy_claims=bool(request.get("decoys")),
        extra_header_parameters=extra,
    )
    sd_jwt = issuer.sd_jwt_issuance
    return {"sd_jwt": sd_jwt, "presentation": presentation_of(sd_jwt, plain, request)}


def present(request):
    claims = full_claims(request["sd_jwt"], jwk(request["issuer_jwk"]))
    return {"presentation": presentation_of(request["sd_jwt"], claims, request)}


def verify(request):
    verifier = SDJWTVerifier(
        request["presentation"],
        lambda iss, header: jwk(request["issuer_jwk"]),
        expected_aud=request.get("aud"),
        expected_nonce=request.get("nonce"),
    )
    return {"claims": verifier.get_verified_payload()}


COMMANDS = {
    "version": lambda request: {"version": version("sd-jwt")},
    "issue": issue,
    "present": present,
    "verify": verify,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        result = COMMANDS[sys.argv[1]](json.load(sys.stdin))
    except Exception as e:  # The test reads the refusal as data.
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
