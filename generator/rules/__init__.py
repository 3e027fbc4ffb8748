"""Every rule module; importing this package registers all rules (see generator.rule)."""

from . import references, syntax  # noqa: F401  (declared first: other modules report these)
from . import people, portfolio, schedules, students, submissions  # noqa: F401
from . import privacy, repositories  # noqa: F401
from . import audit, certification, history, identities, permissions  # noqa: F401  (after submissions: delegate.order)
from . import codeowners  # noqa: F401
from . import acknowledgements  # noqa: F401  (applied by generator.validate after every check)
from . import request  # noqa: F401  (after permissions and certification: the merge-request check)
from . import unread  # noqa: F401  (applied by generator.validate after the acknowledgements)
