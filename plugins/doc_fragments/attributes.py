# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # What the attributes of this collection's modules mean; each module states its support.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and report whether it would change something, without changing it.
  diff_mode:
    description: Returns what changed, or would change in check mode, when run with C(--diff).
"""

    ACTION_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Belongs to an action group, so C(module_defaults) can set its options together with those of the other members.
    support: full
    membership:
      - stackrox.central.central
"""
