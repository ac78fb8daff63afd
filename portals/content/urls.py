from django.urls import path

from portals.content.views import assets, customers, home, library, permissions

urlpatterns = [
    path("", home.home, name="home"),
    path("assets/", library.asset_list, name="assets"),
    path("assets/new/", assets.asset_new, name="asset-new"),
    path("assets/<int:pk>/", assets.asset_detail, name="asset"),
    path("assets/<int:pk>/edit/", assets.asset_edit, name="asset-edit"),
    path("assets/<int:pk>/act/", assets.asset_act, name="asset-act"),
    path("permissions/", permissions.permission_list, name="permissions"),
    path("permissions/<int:account_id>/", permissions.account_permissions, name="account-permissions"),
    path("customers/", customers.customers, name="customers"),
    path("customers.csv", customers.customers_csv, name="customers-csv"),
    path("customers.json", customers.customers_json, name="customers-json"),
]
