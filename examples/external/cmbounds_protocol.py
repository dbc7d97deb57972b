"""Serve a consistency model to cmbounds over the external-model protocol, version 1 (standard library only).

cmbounds starts your command and speaks JSON lines on its standard input and output:

    -> {"op":"hello","protocol":1}
    <- {"protocol":1,"dim":d,"process":ProcessSpec,"target":TargetSpec?,"name":"..."?}
    -> {"op":"f","t":[t_1,...,t_n],"x":[[...],...]}      (a batch: n points, each with its own time)
    <- {"f":[[...],...]}                                  (n rows of d numbers)

and closes standard input when done. Anything printed to standard error is passed through by cmbounds, so log
there, never to standard output. Usage:

    from cmbounds_protocol import serve
    serve(f, dim=1, process={"kind": "ve", "tMin": 0.002, "tMax": 80}, target="bimodal-1d", name="my-model")

where f(x, t) takes a list of n points (each a list of d floats) and a list of n times and returns n lists of d
floats (a numpy array or torch tensor with .tolist() also works).
"""
import json
import sys

PROTOCOL = 1


def _rows(value):
    """Plain nested lists of floats from lists, numpy arrays or torch tensors."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    return [[float(v) for v in row] for row in value]


def serve(f, dim, process, target=None, name=None, stdin=None, stdout=None):
    """Answer cmbounds' requests until it closes standard input."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    for line in stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        op = request.get("op")
        if op == "hello":
            if request.get("protocol") != PROTOCOL:
                print(f"cmbounds_protocol: cmbounds speaks protocol {request.get('protocol')}, this adapter {PROTOCOL}", file=sys.stderr)
            hello = {"protocol": PROTOCOL, "dim": dim, "process": process}
            if target is not None:
                hello["target"] = target
            if name is not None:
                hello["name"] = name
            answer = hello
        elif op == "f":
            answer = {"f": _rows(f(request["x"], request["t"]))}
        else:
            print(f"cmbounds_protocol: unknown op {op!r}", file=sys.stderr)
            continue
        # repr of a Python float round-trips exactly (17 significant digits where needed)
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()
