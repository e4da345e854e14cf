"""Creates the two lists of the Mailman integration test inside Mailman 3.3.8:
`mailman -C CFG shell -r mailman_setup.create_lists MEMBER` (PYTHONPATH = this folder).
`mailman shell` commits the transaction after the callable returns. One call for both lists:
every Mailman command costs seconds of start-up.

bench@lists.example.org (split layout): Mailman's stock decoration stays on (subject prefix
"[Bench] ", footer, List-* headers), since the split layout seals after it (DESIGN.md
"Mailman integration").
onepass@lists.example.org (one-pass layout): the decorations a seal made before Mailman
cannot survive are off (examples/mailman/mailman-one-pass.cfg): no subject prefix, an empty
footer, no Reply-To munging, not anonymous, and no RFC 2369 List-* fields: Mailman's rfc_2369
handler deletes List-Id, List-Post, ... and adds its own, which breaks an AMS that signed the
poster's (or an upstream list's) fields; arcrelay's [[list]] list_headers adds them instead,
before sealing.

Both: posts from non-members are accepted (the corpus authors are not members), no welcome
message, and the `administrivia` hold rule is off (corpus subjects are random words that may
start with "help" or "who"). onepass also drops `require_explicit_destination`: the corpus
messages are addressed To bench@. None of these change a delivered message.
"""
from datetime import datetime, timezone

from mailman.app.lifecycle import create_list
from mailman.interfaces.action import Action
from mailman.interfaces.domain import IDomainManager
from mailman.interfaces.listmanager import IListManager
from mailman.interfaces.mailinglist import ReplyToMunging
from mailman.interfaces.template import ITemplateManager
from mailman.interfaces.usermanager import IUserManager
from zope.component import getUtility

DOMAIN = "lists.example.org"
SPLIT_LIST = "bench@" + DOMAIN
ONE_PASS_LIST = "onepass@" + DOMAIN
FOOTER = "list:member:regular:footer"
EMPTY_TEMPLATE = "file:///dev/null"


def create_lists(member):
    getUtility(IDomainManager).add(DOMAIN)
    address = getUtility(IUserManager).create_address(member)
    address.verified_on = datetime.now(timezone.utc).replace(tzinfo=None)
    for name in (SPLIT_LIST, ONE_PASS_LIST):
        mlist = create_list(name)
        mlist.default_nonmember_action = Action.accept
        mlist.administrivia = False
        mlist.send_welcome_message = False
        mlist.subscribe(address)
    one_pass = getUtility(IListManager).get(ONE_PASS_LIST)
    one_pass.subject_prefix = ""
    one_pass.reply_goes_to_list = ReplyToMunging.no_munging
    one_pass.first_strip_reply_to = False
    one_pass.anonymous_list = False
    one_pass.include_rfc2369_headers = False
    one_pass.require_explicit_destination = False
    getUtility(ITemplateManager).set(FOOTER, one_pass.list_id, EMPTY_TEMPLATE)
