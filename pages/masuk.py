"""Masuk: sign in with a username and password; on the demo database the demo accounts are listed."""
from ui.common import run_page
from ui.session import login_page

run_page("page.login", login_page, needs_data=False, public=True)
