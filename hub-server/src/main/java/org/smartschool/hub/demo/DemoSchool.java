package org.smartschool.hub.demo;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One school of the simulated district: its id, the name people know it by, its gateway and the
 * gateway's secret towards the hub (fresh for every run: nothing outside the process needs it).
 */
record DemoSchool(String id, String name, String gatewayId, String secret) {

    /** Real-sounding lower-secondary (THCS) and upper-secondary (THPT) school names. */
    private static final List<String> NAMES = List.of(
            "THCS Nguyễn Du", "THPT Lê Quý Đôn", "THCS Chu Văn An", "THCS Trần Hưng Đạo", "THPT Nguyễn Trãi",
            "THCS Lê Lợi", "THCS Quang Trung", "THPT Nguyễn Thị Minh Khai", "THCS Võ Thị Sáu",
            "THCS Hai Bà Trưng", "THPT Trần Phú", "THCS Lý Thường Kiệt", "THCS Phan Bội Châu",
            "THPT Ngô Quyền", "THCS Nguyễn Văn Trỗi", "THCS Kim Đồng", "THPT Lương Thế Vinh",
            "THCS Đoàn Thị Điểm", "THCS Tô Hiến Thành", "THPT Phan Đình Phùng");

    static final int MAX_SCHOOLS = 50;

    /** The first {@code count} schools: school-01, school-02, ... */
    static List<DemoSchool> district(int count) {
        if (count < 1 || count > MAX_SCHOOLS) {
            throw new IllegalArgumentException("schools must be 1-" + MAX_SCHOOLS + ", got " + count);
        }
        SecureRandom random = new SecureRandom();
        List<DemoSchool> schools = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String id = String.format("school-%02d", i);
            String name = i <= NAMES.size() ? NAMES.get(i - 1) : "Trường số " + i;
            byte[] secret = new byte[18];
            random.nextBytes(secret);
            schools.add(new DemoSchool(id, name, "gw-" + id, HexFormat.of().formatHex(secret)));
        }
        return List.copyOf(schools);
    }

    @Override
    public String toString() {
        return "DemoSchool[id=" + id + ", name=" + name + ", gatewayId=" + gatewayId + ", secret=***]";
    }
}
