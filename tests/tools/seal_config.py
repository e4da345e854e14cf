"""For the interop tests: the configuration `arcrelay seal --config` reads (who seals, with
which keys)."""


def arc_key(algorithm, domain, selector, private_key):
    """One [[arc.key]] table."""
    return f"""
[[arc.key]]
algorithm = "{algorithm}"
domain = "{domain}"
selector = "{selector}"
private_key = "{private_key}"
"""


def write_seal_config(path, hostname, authserv_id, keys):
    """Writes a configuration with a split-seal listener and `keys` ([[arc.key]] tables)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""[server]
hostname = "{hostname}"
authserv_id = "{authserv_id}"

[[listener]]
name = "seal"
stages = "split-seal"
allowed_clients = ["127.0.0.1/32"]
{keys}""")
