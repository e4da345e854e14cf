"""The one builder of the configurations the integration tests run arcrelay with:
`write_seal_config` (a split-seal listener: what `arcrelay seal --config` and the CLI tests
read) and `one_pass_config` (`arcrelay serve` with one one-pass listener in front of a next
hop: the interop, fault and Postfix harnesses). Each harness adds only what it varies."""


def arc_key(algorithm, domain, selector, private_key):
    """One [[arc.key]] table."""
    return f"""
[[arc.key]]
algorithm = "{algorithm}"
domain = "{domain}"
selector = "{selector}"
private_key = "{private_key}"
"""


def write_seal_config(path, hostname, authserv_id, keys, extra=""):
    """Writes a configuration with a split-seal listener, `keys` ([[arc.key]] tables) and
    `extra` (more tables) at the end; returns `path`."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""[server]
hostname = "{hostname}"
authserv_id = "{authserv_id}"

[[listener]]
name = "seal"
stages = "split-seal"
allowed_clients = ["127.0.0.1/32"]
{keys}{extra}""")
    return path


def one_pass_config(port, state_dir, next_hop_uri, list_address, keys, zone_file, *,
                    threads=None, next_hop="", list_settings="", dns=None, tables=""):
    """`arcrelay serve` for lists.example.org: listener "in" on 127.0.0.1:`port` with every
    stage (one-pass) forwarding to `next_hop_uri`, the list `list_address`, `keys`
    ([[arc.key]] tables), DNS from `zone_file`. Optional: `threads`, more [next_hop] lines
    (`next_hop`), more [[list]] lines (`list_settings`), the [dns] body instead of the zone
    file (`dns`), and further tables ([limits], [log], [metrics]: `tables`)."""
    server = f"threads = {threads}\n" if threads is not None else ""
    return f"""[server]
hostname = "relay.lists.example.org"
authserv_id = "lists.example.org"
{server}state_dir = "{state_dir}"

[[listener]]
name = "in"
address = "127.0.0.1"
port = {port}
stages = "one-pass"

[next_hop]
uri = "{next_hop_uri}"
{next_hop}
[[list]]
address = "{list_address}"
{list_settings}{keys}
[dns]
{dns if dns is not None else f'zone_file = "{zone_file}"'}
{tables}"""
