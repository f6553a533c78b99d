from django.contrib import admin

from sigap.organisation.models import Agency, AgencySpecialDay, Employee, Position, Unit


class AgencySpecialDayInline(admin.TabularInline):
    model = AgencySpecialDay
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "cuti_bersama_is_day_off"]
    search_fields = ["name", "code"]
    inlines = [AgencySpecialDayInline]


@admin.register(AgencySpecialDay)
class AgencySpecialDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "agency", "is_working"]
    list_filter = ["agency", "is_working"]
    date_hierarchy = "date"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "agency"]
    list_filter = ["agency", "kind"]
    search_fields = ["name", "code"]
    # Picked by name (search box), never by typing an id.
    autocomplete_fields = ["parent"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "status", "position", "rank", "unit", "active_from"]
    list_filter = ["status", "position__kind"]
    search_fields = ["name", "nip"]
    autocomplete_fields = ["unit", "supervisor", "user", "position"]
    list_select_related = ["position", "unit"]
